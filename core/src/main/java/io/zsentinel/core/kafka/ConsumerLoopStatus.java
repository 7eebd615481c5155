package io.zsentinel.core.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link TopicConsumerLoop} is doing, for health and metrics.
 *
 * @param assignedPartitions partitions the group gave this loop (0 before the first assignment)
 * @param lastProgressAt     when it last polled or finished a record (null: never)
 * @param lag                records behind the end of its partitions after its last handled batch (null: unknown)
 * @param caughtUp           its lag was 0 at least once since its partitions were assigned
 * @param consecutiveFailures failed attempts at the record in hand (0 when nothing fails)
 * @param deadLettered       records sent to the dead-letter topic since start
 * @param outage             why the store or the broker is unreachable while the loop waits for it (null: none)
 * @param failing            the record that keeps failing and why (null: none)
 */
public record ConsumerLoopStatus(String name, boolean running, int assignedPartitions, Instant lastProgressAt,
                                 Long lag, boolean caughtUp, int consecutiveFailures, long deadLettered,
                                 String outage, String failing) {

    /** A failure or two is routine (e.g. two commands racing on one aggregate): only a third one counts. */
    static final int FAILURES_BEFORE_NOT_READY = 3;

    public ConsumerLoopStatus {
        Objects.requireNonNull(name, "name");
        if (assignedPartitions < 0 || consecutiveFailures < 0 || deadLettered < 0) {
            throw new IllegalArgumentException("negative count in the status of consumer loop " + name);
        }
    }

    /** Why the loop is not ready at {@code now} (it is stuck when it made no progress for {@code stuckAfter}); empty when ready. */
    public Optional<String> notReady(Instant now, Duration stuckAfter) {
        if (!running) {
            return Optional.of("consumer loop " + name + " is not running (see the log for why it stopped)");
        }
        if (outage != null) {
            return Optional.of("consumer loop " + name + " waits for " + outage);
        }
        if (lastProgressAt != null && Duration.between(lastProgressAt, now).compareTo(stuckAfter) > 0) {
            return Optional.of("consumer loop " + name + " is stuck: no poll and no record finished for "
                    + Duration.between(lastProgressAt, now).toSeconds() + " s");
        }
        if (assignedPartitions == 0) {
            return Optional.of("consumer loop " + name + " has no partitions assigned yet");
        }
        if (failing != null && consecutiveFailures >= FAILURES_BEFORE_NOT_READY) {
            return Optional.of("consumer loop " + name + " retries " + failing);
        }
        if (!caughtUp) {
            return Optional.of("consumer loop " + name + " is catching up ("
                    + (lag == null ? "lag not known yet" : lag + " record(s) behind") + ")");
        }
        return Optional.empty();
    }
}
