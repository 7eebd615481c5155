package io.zsentinel.deploy.replication;

import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.RejoinCompleted;
import io.zsentinel.failover.api.RejoinEvent;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.projections.service.ServicesView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every service switch the store holds, oldest generation first: what {@link FailoverLinks} re-plans replication
 * from. In memory and rebuilt at every start with the services view (same processing group, so the replication
 * ticker, which waits for the views' rebuild, never plans on a history without them); the replication trigger adds a
 * switch as soon as it is stored. Each failover is kept once, whoever tells first and however often. The completed
 * rejoins of former primaries too: from then on the new primary replicates to them.
 */
@ProcessingGroup(ServicesView.PROCESSING_GROUP)
public final class ServiceSwitches {
    private final Map<FailoverId, ServiceSwitched> switches = new LinkedHashMap<>();
    private List<ServiceSwitched> ordered = List.of();
    private final Map<String, RejoinCompleted> rejoins = new LinkedHashMap<>();
    private List<RejoinCompleted> rejoined = List.of();

    @EventHandler
    public synchronized void on(ServiceSwitched e) {
        if (switches.putIfAbsent(e.failover(), e) == null) {
            ordered = switches.values().stream()
                    .sorted(Comparator.comparingLong(ServiceSwitched::generation).thenComparing(ServiceSwitched::at))
                    .toList();
        }
    }

    /** A former primary rejoined: replication from the new primary to it starts (kept once per rejoin). */
    @EventHandler
    public synchronized void on(RejoinCompleted e) {
        String key = RejoinEvent.rejoinId(e.service(), e.server()) + "|" + e.generation() + "|" + e.at();
        if (rejoins.putIfAbsent(key, e) == null) {
            rejoined = List.copyOf(rejoins.values());
        }
    }

    @ResetHandler
    public synchronized void reset() {
        switches.clear();
        ordered = List.of();
        rejoins.clear();
        rejoined = List.of();
    }

    /** The completed rejoins, in the order they were stored. */
    public synchronized List<RejoinCompleted> rejoins() {
        return rejoined;
    }

    /** Oldest generation first (a service's generations only grow). */
    public synchronized List<ServiceSwitched> all() {
        return ordered;
    }
}
