package io.zsentinel.projections.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.zsentinel.core.kafka.ConsumerLoopStatus;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Gauges of the Kafka consumer loops, one series per loop: is it up, assigned, polling, failing. */
public final class ConsumerLoopMetrics implements ScrapeUpdate {
    private final Supplier<List<ConsumerLoopStatus>> loops;
    private final List<ScrapedFamily<ConsumerLoopStatus>> families;

    /** {@code stuckAfter}: how long without progress makes a loop count as stuck (not ready). */
    public ConsumerLoopMetrics(Supplier<List<ConsumerLoopStatus>> loops, Clock clock, Duration stuckAfter) {
        this.loops = loops;
        this.families = List.of(
                gauge("zsentinel_consumer_up", "1 while the consumer loop's thread runs, else 0.",
                        s -> s.running() ? 1 : 0),
                gauge("zsentinel_consumer_ready",
                        "1 when the loop is assigned, polling and caught up, with no outage and no failing record, else 0.",
                        s -> s.notReady(clock.instant(), stuckAfter).isEmpty() ? 1 : 0),
                gauge("zsentinel_consumer_assigned_partitions", "Partitions assigned to the loop.",
                        ConsumerLoopStatus::assignedPartitions),
                gauge("zsentinel_consumer_last_progress_age_seconds",
                        "Seconds since the loop last polled or finished a record (NaN: never).",
                        s -> s.lastProgressAt() == null ? Double.NaN
                                : Duration.between(s.lastProgressAt(), clock.instant()).toMillis() / 1000.0),
                gauge("zsentinel_consumer_lag_records",
                        "Records behind the end of the loop's partitions after its last handled batch (NaN: unknown).",
                        s -> s.lag() == null ? Double.NaN : s.lag()),
                gauge("zsentinel_consumer_consecutive_failures",
                        "Failed attempts at the record in hand (also while waiting for the store or the broker).",
                        ConsumerLoopStatus::consecutiveFailures),
                gauge("zsentinel_consumer_outage",
                        "1 while the loop waits for the store or the broker to be reachable again, else 0.",
                        s -> s.outage() == null ? 0 : 1),
                ScrapedFamily.counter("zsentinel_consumer_dead_lettered",
                        "Records the loop sent to the dead-letter topic since start.", ConsumerLoopMetrics::labels,
                        ConsumerLoopStatus::deadLettered));
    }

    @Override
    public void update(MeterRegistry registry) {
        List<ConsumerLoopStatus> all = loops.get();
        families.forEach(f -> f.update(registry, all));
    }

    private static ScrapedFamily<ConsumerLoopStatus> gauge(String name, String help,
                                                           java.util.function.ToDoubleFunction<ConsumerLoopStatus> value) {
        return ScrapedFamily.gauge(name, help, ConsumerLoopMetrics::labels, value);
    }

    private static Tags labels(ConsumerLoopStatus s) {
        return Tags.of("loop", s.name());
    }
}
