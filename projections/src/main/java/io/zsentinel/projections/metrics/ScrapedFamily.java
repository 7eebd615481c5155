package io.zsentinel.projections.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One metric family whose series come and go with the rows of a view (a link, a server, a pool): at every
 * scrape {@link #update} sets each row's value and removes the series of rows that are gone. Values are
 * read when the scrape asks, so a series never outlives its row by more than one scrape.
 *
 * @param <T> the row type
 */
final class ScrapedFamily<T> {
    private final String name;
    private final String help;
    private final boolean counter;
    private final Function<T, Tags> labels;
    private final ToDoubleFunction<T> value;
    private final Map<Tags, Series> series = new HashMap<>();

    private ScrapedFamily(String name, String help, boolean counter, Function<T, Tags> labels, ToDoubleFunction<T> value) {
        this.name = name;
        this.help = help;
        this.counter = counter;
        this.labels = labels;
        this.value = value;
    }

    /** A gauge family; NaN where a value does not exist yet. */
    static <T> ScrapedFamily<T> gauge(String name, String help, Function<T, Tags> labels, ToDoubleFunction<T> value) {
        return new ScrapedFamily<>(name, help, false, labels, value);
    }

    /** A counter family ({@code name} without {@code _total}: the Prometheus registry appends it). */
    static <T> ScrapedFamily<T> counter(String name, String help, Function<T, Tags> labels, ToDoubleFunction<T> value) {
        return new ScrapedFamily<>(name, help, true, labels, value);
    }

    synchronized void update(MeterRegistry registry, List<T> rows) {
        Map<Tags, Series> gone = new HashMap<>(series);
        for (T row : rows) {
            Tags tags = labels.apply(row);
            gone.remove(tags);
            series.computeIfAbsent(tags, t -> new Series(registry, t)).value = value.applyAsDouble(row);
        }
        gone.forEach((tags, s) -> {
            registry.remove(s.meter);
            series.remove(tags);
        });
    }

    /** The value a series shows until the next scrape sets it again. */
    private final class Series {
        private final Meter meter;
        private volatile double value = Double.NaN;

        Series(MeterRegistry registry, Tags tags) {
            meter = counter
                    ? FunctionCounter.builder(name, this, s -> s.value).description(help).tags(tags).register(registry)
                    : Gauge.builder(name, this, s -> s.value).description(help).tags(tags).strongReference(true)
                    .register(registry);
        }
    }
}
