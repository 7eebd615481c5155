package io.zsentinel.projections.metrics;

import io.micrometer.core.instrument.MeterRegistry;

/** Families read from a view at scrape time: {@link MetricsEndpoint} calls it just before each scrape. */
@FunctionalInterface
public interface ScrapeUpdate {
    void update(MeterRegistry registry);
}
