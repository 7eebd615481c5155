package io.zsentinel.deploy.replication;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.schedule.ConfiguredLink;
import io.zsentinel.replication.schedule.LinkConfiguration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 *   operator rejoins it, even when a rule of the configuration would make that link.</li>
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

    /** {@code switches}: oldest generation first. */
    public FailoverLinks(LinkConfiguration configured, Supplier<List<ServiceSwitched>> switches) {
        this.configured = Objects.requireNonNull(configured, "configured");
        this.switches = Objects.requireNonNull(switches, "switches");
    }

    /** The links of {@code config} re-planned for the switches {@code switches} holds. */
    public static FailoverLinks of(ReplicationConfig config, ServiceSwitches switches) {
        return new FailoverLinks(LinkScheduler.configured(config), switches::all);
    }

    /** The links to plan from {@code source}: none once a failover took its service away. */
    @Override
    public List<ConfiguredLink> linksFrom(DatasetId source) {
        List<ServiceSwitched> all = switches.get();
        return supersededBy(source, all).isPresent() ? List.of() : kept(source, all, null, Long.MAX_VALUE);
    }

    /** The links of {@code source} that exist, planned or not: a superseded link stays (paused), not retired. */
    @Override
    public List<ConfiguredLink> keptFrom(DatasetId source) {
        return kept(source, switches.get(), null, Long.MAX_VALUE);
    }

    /** The switch that took {@code source}'s service away from it, while no later one brought it back. */
    public Optional<ServiceSwitched> supersededBy(DatasetId source) {
        return supersededBy(source, switches.get());
    }

    /**
     * The generation at which {@code source} serves its service since a failover made it the primary (the newest such
     * switch), for the transfers it sends ({@code StartTransfer.generation}): the agents refuse older orders on the
     * targets it sent to. 0 when no failover moved a service to it.
     */
    public long generationOf(DatasetId source) {
        return takeover(source, switches.get(), Long.MAX_VALUE).map(t -> t.switched().generation()).orElse(0L);
    }

    /**
     * The dataset that {@code copy} serves in place of since failovers made its server the primary: the primary's
     * dataset before the first of them (the one the configuration's rules name), so that it takes that dataset's
     * snapshots (its retention policy). Empty when it serves for none, or when a later failover took the service away
     * from it too.
     */
    public Optional<DatasetId> servesFor(DatasetId copy) {
        List<ServiceSwitched> all = switches.get();
        if (supersededBy(copy, all).isPresent()) {
            return Optional.empty();
        }
        DatasetId origin = null;
        // each step goes to an older generation, so the walk ends
        for (Optional<Takeover> t = takeover(copy, all, Long.MAX_VALUE); t.isPresent();
             t = takeover(origin, all, t.get().switched().generation())) {
            origin = t.get().formerPrimary();
        }
        return Optional.ofNullable(origin);
    }

    /** A switch that made {@code copy}'s server the primary of {@code formerPrimary}, of which it is the copy. */
    private record Takeover(ServiceSwitched switched, DatasetId formerPrimary) {
    }

    /** The newest switch below generation {@code below} that made {@code copy}'s server the primary of its dataset. */
    private Optional<Takeover> takeover(DatasetId copy, List<ServiceSwitched> all, long below) {
        for (int i = all.size() - 1; i >= 0; i--) {
            ServiceSwitched w = all.get(i);
            if (w.generation() >= below || !w.to().equals(copy.server())) {
                continue;
            }
            for (DatasetName dataset : w.datasets()) {
                DatasetId former = new DatasetId(w.from(), dataset);
                if (kept(former, all, w.service(), w.generation()).stream().anyMatch(l -> l.link().target().equals(copy))) {
                    return Optional.of(new Takeover(w, former));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A pause for each link the store knows ({@code known}) whose source a failover superseded, with the failover in
     * the reason; to send once per controller run (a link paused already stays as it is).
     */
    public List<PauseLink> pauses(List<LinkId> known, Instant now) {
        List<ServiceSwitched> all = switches.get();
        List<PauseLink> pauses = new ArrayList<>();
        for (LinkId link : known) {
            supersededBy(link.source(), all).ifPresent(w -> pauses.add(pause(link, w, now)));
        }
        return pauses;
    }

    static PauseLink pause(LinkId link, ServiceSwitched w, Instant now) {
        return new PauseLink(link, OPERATOR, "failover " + w.failover() + " of service " + w.service() + ": " + w.from()
                + " no longer serves it (" + w.to() + " does, at generation " + w.generation() + "), so it sends"
                + " nothing until an operator rejoins it", now);
    }

    private static boolean takesAway(ServiceSwitched w, DatasetId source) {
        return w.from().equals(source.server()) && w.datasets().contains(source.dataset());
    }

    private static Optional<ServiceSwitched> supersededBy(DatasetId source, List<ServiceSwitched> all) {
        ServiceSwitched last = null;
        for (ServiceSwitched w : all) {
            if (takesAway(w, source)) {
                last = w;
            } else if (last != null && w.service().equals(last.service()) && w.to().equals(source.server())) {
                last = null; // the service came back to this server
            }
        }
        return Optional.ofNullable(last);
    }

    /**
     * The configured links of {@code source} and the successors the switches of {@code service} (any when null) below
     * generation {@code below} made for it, without those back to a former primary it took over from.
     */
    private List<ConfiguredLink> kept(DatasetId source, List<ServiceSwitched> all, ServiceName service, long below) {
        List<ConfiguredLink> links = new ArrayList<>(configured.linksFrom(source));
        for (ServiceSwitched w : all) {
            if (w.generation() >= below || (service != null && !w.service().equals(service))
                    || !w.to().equals(source.server())) {
                continue;
            }
            for (DatasetName dataset : w.datasets()) {
                List<ConfiguredLink> before = kept(new DatasetId(w.from(), dataset), all, w.service(), w.generation());
                if (before.stream().noneMatch(l -> l.link().target().equals(source))) {
                    continue; // source is not this dataset's copy on the new primary
                }
                links.removeIf(l -> l.link().target().server().equals(w.from()));
                for (ConfiguredLink l : before) {
                    ServerId target = l.link().target().server();
                    LinkId successor = target.equals(w.to()) || target.equals(w.from()) ? null
                            : new LinkId(source, l.link().target());
                    if (successor != null && links.stream().noneMatch(k -> k.link().equals(successor))) {
                        links.add(new ConfiguredLink(successor, l.interval()));
                    }
                }
            }
        }
        return links;
    }
}
