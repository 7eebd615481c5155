package io.zsentinel.projections.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.zsentinel.projections.service.FailoverSummary;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.projections.service.ServicesView;

import java.util.List;

/**
 * Gauges of the services, one series each, for alerting: which state a service is in (an alert on
 * {@code blocked}: a failover happened or was aborted and waits for an operator), its generation, and whether its
 * last failover was refused (no eligible standby: a primary failed and nothing took over).
 */
public final class ServiceMetrics implements ScrapeUpdate {
    private static final List<String> STATES = List.of(ServiceRow.SERVING, ServiceRow.FAILING_OVER, ServiceRow.BLOCKED);

    /** One service in one of its possible states. */
    private record InState(ServiceRow row, String state) {
    }

    private final ServicesView services;
    private final ScrapedFamily<InState> state = ScrapedFamily.gauge("zsentinel_service_state",
            "1 for the service's current state (serving, failing-over, blocked until an operator acknowledges), 0 for"
                    + " the others.", s -> labels(s.row()).and("state", s.state()),
            s -> s.state().equals(s.row().state()) ? 1 : 0);
    private final ScrapedFamily<ServiceRow> generation = ScrapedFamily.gauge("zsentinel_service_generation",
            "The service's fencing token: raised by every failover.", ServiceMetrics::labels, ServiceRow::generation);
    private final ScrapedFamily<ServiceRow> refused = ScrapedFamily.gauge("zsentinel_service_last_failover_refused",
            "1 when the service's last failover was refused (no eligible standby; the reasons are in its failover),"
                    + " else 0.", ServiceMetrics::labels,
            r -> r.lastFailover() != null && FailoverSummary.REFUSED.equals(r.lastFailover().outcome()) ? 1 : 0);

    public ServiceMetrics(ServicesView services) {
        this.services = services;
    }

    @Override
    public void update(MeterRegistry registry) {
        List<ServiceRow> rows = services.services();
        state.update(registry, rows.stream().flatMap(r -> STATES.stream().map(s -> new InState(r, s))).toList());
        generation.update(registry, rows);
        refused.update(registry, rows);
    }

    private static Tags labels(ServiceRow row) {
        return Tags.of("service", row.service().value()); // not the primary: a series must outlive a failover
    }
}
