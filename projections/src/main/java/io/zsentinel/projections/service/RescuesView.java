package io.zsentinel.projections.service;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.failover.api.DivergenceKept;
import io.zsentinel.failover.api.RescueReleaseOrdered;
import io.zsentinel.failover.api.RescueReleased;
import io.zsentinel.failover.api.ServiceName;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The divergent state rejoins kept and no operator released ({@code zsentinel rescue list}, {@code GET /api/rescues}):
 * per rescue, the server, the dataset it was kept from, when, from which common snapshot, what lay after it, and
 * whether a release is under way (or what refused the last one). In memory, rebuilt with the services view.
 */
@ProcessingGroup(ServicesView.PROCESSING_GROUP)
public class RescuesView {
    /** One kept rescue; {@code status}: {@code kept} or {@code releasing}; {@code lastRefusal}: its agent's words. */
    public record Rescue(ServerId server, DatasetName rescue, DatasetName dataset, ServiceName service, Instant keptAt,
                         SnapshotName common, List<String> after, Long bytesAfter, String status, String lastRefusal) {
        public Rescue {
            after = List.copyOf(after);
        }

        /** The name an operator gives {@code rescue release}: {@code server:dataset}. */
        public String name() {
            return server + ":" + rescue;
        }

        Rescue with(String newStatus, String refusal) {
            return new Rescue(server, rescue, dataset, service, keptAt, common, after, bytesAfter, newStatus, refusal);
        }
    }

    private final Map<String, Rescue> rescues = new LinkedHashMap<>();

    @EventHandler
    public synchronized void on(DivergenceKept e) {
        Rescue r = new Rescue(e.server(), e.rescue(), e.dataset(), e.service(), e.at(), e.common(), e.after(),
                e.bytesAfter(), "kept", null);
        rescues.putIfAbsent(r.name(), r);
    }

    @EventHandler
    public synchronized void on(RescueReleaseOrdered e) {
        rescues.computeIfPresent(e.server() + ":" + e.rescue(), (k, r) -> r.with("releasing", r.lastRefusal()));
    }

    @EventHandler
    public synchronized void on(RescueReleased e) {
        String name = e.server() + ":" + e.rescue();
        if (e.released()) {
            rescues.remove(name);
        } else {
            rescues.computeIfPresent(name, (k, r) -> r.with("kept", e.detail()));
        }
    }

    @ResetHandler
    public synchronized void reset() {
        rescues.clear();
    }

    /** Oldest first. */
    public synchronized List<Rescue> rescues() {
        return rescues.values().stream().sorted(Comparator.comparing(Rescue::keptAt).thenComparing(Rescue::name))
                .toList();
    }

    /** The rescue an operator names as {@code server:dataset}. */
    public synchronized Optional<Rescue> find(String name) {
        return Optional.ofNullable(rescues.get(name));
    }
}
