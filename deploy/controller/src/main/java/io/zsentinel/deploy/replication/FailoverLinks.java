package io.zsentinel.deploy.replication;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.failover.api.RejoinCompleted;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.schedule.ConfiguredLink;
import io.zsentinel.replication.schedule.LinkConfiguration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Replication after failovers: the configured links, re-planned for every {@link ServiceSwitched} in the store. The
 * translation from the failover's events to links lives here, in the controller, because replication knows nothing
 * of services and failover nothing of links. For a switch of a service's datasets from {@code from} to {@code to}
 * ({@code datasets}: the names on {@code from}, as the failover decision reads them from the primary's inventory):
 * <ul>
 *   <li>every link from a dataset of {@code from} is <em>superseded</em>: never planned again and paused (so its
 *   target is not sent anything by a server that no longer serves; its base stays protected), and kept, not
 *   retired, until an operator rejoins that server (the rejoin is a later issue);</li>
 *   <li>for every other target those links sent the dataset to (the offsite DC), a <em>successor</em> link from the
 *   dataset's copy on {@code to} (the target of its {@code from → to} link) to that same target, at the same
 *   interval. Its first plan is incremental: {@code to} received its snapshots from {@code from}, so their guids are
 *   the ones the target holds, and the newest snapshot the two share is the common base (no full resend);</li>
 *   <li>no link from {@code to} back to {@code from}: the former primary neither serves nor receives until an
 *   operator rejoins it, even when a rule of the configuration would make that link; once rejoined
 *   ({@link RejoinCompleted}), a link from each copy on the new primary to the rejoined dataset, whose first plan is
 *   incremental from the common snapshot the rejoin rolled it back to.</li>
 * </ul>
 * A target that holds snapshots newer than the base it shares with {@code to} (received from {@code from} after
 * {@code to}'s last receive) is not rolled back: the successor's plan finds them target-only and the link stops with
 * {@code TargetDiverged}. Those snapshots hold the last writes of the failed primary, which the failover lost and
 * which may exist nowhere else now ({@code from} is out of service, perhaps for good); destroying them automatically
 * would throw away the only copy without anyone deciding it. Whether they could be had elsewhere is not knowable
 * here (the one other holder is the fenced server), so the operator decides: save them (send or clone them
 * elsewhere), then {@code replication resolve <link> --rollback-target} sends from the common base.
 * <p>
 * Switches are applied in generation order, each on the links the earlier ones left, so a second failover moves the
 * successor links on; a switch back to a former primary ends its supersession. Pure: the switches come from a
 * supplier (the {@link ServiceSwitches} the store rebuilds), the configuration from the configured rules.
 */
public final class FailoverLinks implements LinkConfiguration {
    /** Who the audit log names for the pauses a failover makes. */
    public static final Operator OPERATOR = new Operator("zsentinel failover");

    private final LinkConfiguration configured;
    private final Supplier<List<ServiceSwitched>> switches;
    private final Supplier<List<RejoinCompleted>> rejoins;
    private volatile Index index;

    /** {@code switches}: oldest generation first. */
    public FailoverLinks(LinkConfiguration configured, Supplier<List<ServiceSwitched>> switches) {
        this(configured, switches, List::of);
    }

    /** {@code rejoins}: the former primaries rejoined, each receiving from its service's primary since. */
    public FailoverLinks(LinkConfiguration configured, Supplier<List<ServiceSwitched>> switches,
                         Supplier<List<RejoinCompleted>> rejoins) {
        this.configured = Objects.requireNonNull(configured, "configured");
        this.switches = Objects.requireNonNull(switches, "switches");
        this.rejoins = Objects.requireNonNull(rejoins, "rejoins");
    }

    /** The links of {@code config} re-planned for the switches and rejoins {@code switches} holds. */
    public static FailoverLinks of(ReplicationConfig config, ServiceSwitches switches) {
        return new FailoverLinks(LinkScheduler.configured(config), switches::all, switches::rejoins);
    }

    /**
     * The copy of {@code former} (a former primary's dataset) on {@code server}: the target of a link from it there,
     * configured or made by a failover; empty when none.
     */
    public Optional<DatasetId> copyOn(DatasetId former, ServerId server) {
        return index().kept(former).stream().map(l -> l.link().target()).filter(t -> t.server().equals(server))
                .findFirst();
    }

    /** The links to plan from {@code source}: none once a failover took its service away. */
    @Override
    public List<ConfiguredLink> linksFrom(DatasetId source) {
        Index index = index();
        return index.superseded.containsKey(source) ? List.of() : index.kept(source);
    }

    /** The links of {@code source} that exist, planned or not: a superseded link stays (paused), not retired. */
    @Override
    public List<ConfiguredLink> keptFrom(DatasetId source) {
        return index().kept(source);
    }

    /** The switch that took {@code source}'s service away from it, while no later one brought it back. */
    public Optional<ServiceSwitched> supersededBy(DatasetId source) {
        return Optional.ofNullable(index().superseded.get(source));
    }

    /**
     * The generation at which {@code source} serves its service since a failover made it the primary (the newest such
     * switch), for the transfers it sends ({@code StartTransfer.generation}): the agents refuse older orders on the
     * targets it sent to. 0 when no failover moved a service to it.
     */
    public long generationOf(DatasetId source) {
        Takeover t = index().takeovers.get(source);
        return t == null ? 0 : t.switched().generation();
    }

    /**
     * The dataset that {@code copy} serves in place of since failovers made its server the primary: the primary's
     * dataset before the first of them (the one the configuration's rules name), so that it takes that dataset's
     * snapshots (its retention policy). Empty when it serves for none, or when a later failover took the service away
     * from it too.
     */
    public Optional<DatasetId> servesFor(DatasetId copy) {
        Index index = index();
        if (index.superseded.containsKey(copy)) {
            return Optional.empty();
        }
        DatasetId origin = null;
        long below = Long.MAX_VALUE;
        // each step goes to an older generation, so the walk ends
        for (Takeover t = index.takeovers.get(copy); t != null && t.switched().generation() < below;
             t = index.takeovers.get(origin)) {
            origin = t.formerPrimary();
            below = t.switched().generation();
        }
        return Optional.ofNullable(origin);
    }

    /**
     * A pause for each link the store knows ({@code known}) whose source a failover superseded, with the failover in
     * the reason; to send once per controller run (a link paused already stays as it is).
     */
    public List<PauseLink> pauses(List<LinkId> known, Instant now) {
        Index index = index();
        List<PauseLink> pauses = new ArrayList<>();
        for (LinkId link : known) {
            ServiceSwitched w = index.superseded.get(link.source());
            if (w != null) {
                pauses.add(pause(link, w, now));
            }
        }
        return pauses;
    }

    static PauseLink pause(LinkId link, ServiceSwitched w, Instant now) {
        return new PauseLink(link, OPERATOR, "failover " + w.failover() + " of service " + w.service() + ": " + w.from()
                + " no longer serves it (" + w.to() + " does, at generation " + w.generation() + "), so it sends"
                + " nothing until an operator rejoins it", now);
    }

    /** The index of the switches the supplier holds now, built again only when they changed. */
    private Index index() {
        List<ServiceSwitched> all = switches.get();
        List<RejoinCompleted> back = rejoins.get();
        Index i = index;
        if (i == null || !i.of.equals(all) || !i.rejoins.equals(back)) {
            i = new Index(all, back, configured);
            index = i;
        }
        return i;
    }

    /** A switch that made {@code copy}'s server the primary of {@code formerPrimary}, of which it is the copy. */
    private record Takeover(ServiceSwitched switched, DatasetId formerPrimary) {
    }

    /**
     * What the switches change, per dataset, worked out once per set of switches (the schedulers ask for every dataset
     * at every tick): built in generation order, each switch on the links the earlier ones left.
     */
    private static final class Index {
        final List<ServiceSwitched> of;
        final List<RejoinCompleted> rejoins;
        final LinkConfiguration configured;
        /** Per former primary's dataset, the switch that took its service away (until one brings it back). */
        final Map<DatasetId, ServiceSwitched> superseded = new HashMap<>();
        /** Per new primary's copy, the newest switch that made it serve, and the dataset it serves in place of. */
        final Map<DatasetId, Takeover> takeovers = new HashMap<>();
        /** Per new primary's copy, its links to the remaining targets. */
        final Map<DatasetId, List<ConfiguredLink>> successors = new HashMap<>();
        /** Per new primary's copy, the former primaries it sends nothing to. */
        final Map<DatasetId, Set<ServerId>> formerPrimaries = new HashMap<>();

        Index(List<ServiceSwitched> of, List<RejoinCompleted> rejoins, LinkConfiguration configured) {
            this.of = List.copyOf(of);
            this.rejoins = List.copyOf(rejoins);
            this.configured = configured;
            for (ServiceSwitched w : this.of) {
                // the service comes back to a server it was taken from: that server's datasets serve again
                superseded.values().removeIf(earlier -> earlier.service().equals(w.service())
                        && earlier.from().equals(w.to()));
                for (DatasetName dataset : w.datasets()) {
                    apply(w, new DatasetId(w.from(), dataset));
                }
                // a rejoin at this switch's generation: before any later switch moves the links on
                this.rejoins.stream().filter(r -> r.service().equals(w.service()) && r.generation() == w.generation())
                        .forEach(this::rejoin);
            }
        }

        /**
         * The rejoined former primary receives from the new primary's copies: a link from each copy to its dataset
         * (at the interval of the link that made the copy), and the new primary no longer leaves it out. Its own
         * links stay superseded: a replica sends nothing.
         */
        private void rejoin(RejoinCompleted r) {
            for (RejoinCompleted.Rejoined d : r.datasets()) {
                DatasetId source = new DatasetId(r.newPrimary(), d.copy());
                DatasetId target = new DatasetId(r.server(), d.dataset());
                Set<ServerId> excluded = formerPrimaries.get(source);
                if (excluded != null) {
                    excluded.remove(r.server());
                }
                List<ConfiguredLink> before = kept(target);
                Duration interval = before.stream().filter(l -> l.link().target().equals(source))
                        .map(ConfiguredLink::interval).findFirst()
                        .orElse(before.isEmpty() ? null : before.get(0).interval());
                if (interval == null) {
                    continue; // no rule ever replicated it: nothing says how often
                }
                LinkId back = new LinkId(source, target);
                List<ConfiguredLink> links = successors.computeIfAbsent(source, s -> new ArrayList<>());
                if (links.stream().noneMatch(k -> k.link().equals(back))) {
                    links.add(new ConfiguredLink(back, interval));
                }
            }
        }

        private void apply(ServiceSwitched w, DatasetId former) {
            List<ConfiguredLink> before = kept(former);
            superseded.put(former, w);
            Optional<DatasetId> copy = before.stream().map(l -> l.link().target())
                    .filter(t -> t.server().equals(w.to())).findFirst();
            if (copy.isEmpty()) {
                return; // no copy of it on the new primary: nothing to send from there
            }
            DatasetId source = copy.get();
            takeovers.put(source, new Takeover(w, former));
            formerPrimaries.computeIfAbsent(source, s -> new HashSet<>()).add(w.from());
            List<ConfiguredLink> links = successors.computeIfAbsent(source, s -> new ArrayList<>());
            for (ConfiguredLink l : before) {
                ServerId target = l.link().target().server();
                if (target.equals(w.to()) || target.equals(w.from())) {
                    continue;
                }
                LinkId successor = new LinkId(source, l.link().target());
                if (links.stream().noneMatch(k -> k.link().equals(successor))) {
                    links.add(new ConfiguredLink(successor, l.interval()));
                }
            }
        }

        /** The configured links of {@code source} and its successors, none to a former primary it took over from. */
        List<ConfiguredLink> kept(DatasetId source) {
            List<ConfiguredLink> extra = successors.getOrDefault(source, List.of());
            Set<ServerId> excluded = formerPrimaries.getOrDefault(source, Set.of());
            List<ConfiguredLink> configuredLinks = configured.linksFrom(source);
            if (extra.isEmpty() && excluded.isEmpty()) {
                return configuredLinks;
            }
            List<ConfiguredLink> links = new ArrayList<>(configuredLinks);
            for (ConfiguredLink l : extra) {
                if (links.stream().noneMatch(k -> k.link().equals(l.link()))) {
                    links.add(l);
                }
            }
            links.removeIf(l -> excluded.contains(l.link().target().server()));
            return links;
        }
    }
}
