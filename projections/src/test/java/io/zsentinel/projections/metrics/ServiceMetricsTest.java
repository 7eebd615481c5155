package io.zsentinel.projections.metrics;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.FailoverRefused;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceRegistered;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.service.ServicesView;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The services' series: state, generation, and a refused last failover to alert on. */
class ServiceMetricsTest {
    static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    static final Clock NOW = Clock.fixed(T0, ZoneOffset.UTC);

    @Test
    void aServiceServesAtItsGenerationUntilAFailoverIsRefused() {
        ServicesView services = new ServicesView();
        ServiceName vm = ServiceName.of("vm");
        ServerId primary = ServerId.of("primary");
        services.on(new ServiceRegistered(vm, primary, List.of(ServerId.of("standby")), 1, T0));
        MetricsEndpoint metrics = new MetricsEndpoint(new ReplicationLinkView(NOW),
                new FleetView(NOW, new FailureDetector(DetectorSettings.DEFAULTS)), new SnapshotInventoryView())
                .also(new ServiceMetrics(services));
        Exposition scraped = Exposition.parse(metrics.text());
        assertEquals(1.0, scraped.value("zsentinel_service_state", "service", "vm", "state", "serving"));
        assertEquals(0.0, scraped.value("zsentinel_service_state", "service", "vm", "state", "blocked"));
        assertEquals(1.0, scraped.value("zsentinel_service_generation", "service", "vm"));
        assertEquals(0.0, scraped.value("zsentinel_service_last_failover_refused", "service", "vm"));

        services.on(new FailoverRefused(vm, primary, List.of("standby: too stale"), null, T0.plusSeconds(9)));
        assertEquals(1.0, Exposition.parse(metrics.text()).value("zsentinel_service_last_failover_refused", "service", "vm"),
                "a failed primary that nothing took over: alert");
    }
}
