package io.zsentinel.deploy.failover;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.replication.FailoverLinks;
import io.zsentinel.deploy.replication.ServiceSwitches;
import io.zsentinel.failover.api.BeginRejoin;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.RejoinPlan;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.replication.api.DatasetId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a rejoin of a server finds, read from what the controller knows: per service a failover or switchover took away
 * from it (the newest such switch, none bringing it back), each of its datasets with its copy on the service's primary,
 * their newest common snapshot by guid, and what the server holds after it (from the inventory). Bytes after it: the
 * inventory has no {@code written} (zfs-fuse has none), so only the net growth of {@code referenced} from the common
 * snapshot to the newest one after it, and nothing of writes after the newest snapshot: those are kept, never assumed
 * absent ({@link RejoinPlan#quiet()} is false, unless a switchover, which knows better, says so).
 */
public final class Rejoins {
    private final Supplier<List<ServiceRow>> services;
    private final ServiceSwitches switches;
    private final FailoverLinks links;
    private final FailureDetector detector;
    private final Function<DatasetId, List<SnapshotInfo>> snapshots;

    public Rejoins(Supplier<List<ServiceRow>> services, ServiceSwitches switches, FailoverLinks links,
                   FailureDetector detector, Function<DatasetId, List<SnapshotInfo>> snapshots) {
        this.services = services;
        this.switches = switches;
        this.links = links;
        this.detector = detector;
        this.snapshots = snapshots;
    }

    /** A rejoin to order, and whether the server was rejoined at the service's generation already. */
    public record Planned(BeginRejoin begin, boolean rejoinedAlready) {
    }

    /** One rejoin per service of which {@code server} is a former primary; empty when it is none's. */
    public List<Planned> of(ServerId server, OperatorOrder by, Instant now) {
        List<Planned> planned = new ArrayList<>();
        for (ServiceRow row : services.get()) {
            planned(row, server, false, by, now).ifPresent(planned::add);
        }
        return planned;
    }

    /**
     * The rejoin of {@code server} to {@code service} alone (a switchover's end: its old primary rejoins). With
     * {@code quiet}, the caller knows nothing was written after the common snapshots (read-only before the final one),
     * so nothing is kept aside; empty when no switch took the service from {@code server}.
     */
    public Optional<Planned> of(ServerId server, ServiceName service, boolean quiet, OperatorOrder by, Instant now) {
        return services.get().stream().filter(r -> r.service().equals(service)).findFirst()
                .flatMap(row -> planned(row, server, quiet, by, now));
    }

    private Optional<Planned> planned(ServiceRow row, ServerId server, boolean quiet, OperatorOrder by, Instant now) {
        Optional<ServiceSwitched> away = switches.all().stream()
                .filter(w -> w.service().equals(row.service()) && w.from().equals(server))
                .reduce((a, b) -> b);
        if (away.isEmpty()) {
            return Optional.empty();
        }
        boolean formerPrimary = !row.primary().equals(server);
        List<RejoinPlan> plans = away.get().datasets().stream()
                .map(d -> plan(new DatasetId(server, d), row.primary(), quiet)).toList();
        boolean done = switches.rejoins().stream().anyMatch(r -> r.service().equals(row.service())
                && r.server().equals(server) && r.generation() == row.generation());
        String health = detector.verdict(server, now).health().text();
        return Optional.of(new Planned(new BeginRejoin(row.service(), server, row.primary(), row.generation(), health,
                formerPrimary, ServiceRow.FAILING_OVER.equals(row.state()), plans, by, now), done));
    }

    private RejoinPlan plan(DatasetId former, ServerId primary, boolean quiet) {
        DatasetId copy = links.copyOn(former, primary).orElse(new DatasetId(primary, former.dataset()));
        List<SnapshotInfo> own = snapshots.apply(former).stream()
                .sorted(Comparator.comparingLong(SnapshotInfo::createtxg).thenComparing(SnapshotInfo::created)).toList();
        Set<Guid> held = snapshots.apply(copy).stream().map(SnapshotInfo::guid).collect(Collectors.toSet());
        Optional<SnapshotInfo> common = own.stream().filter(s -> held.contains(s.guid())).reduce((a, b) -> b);
        if (common.isEmpty()) {
            return new RejoinPlan(former.dataset(), copy.dataset(), null, own.stream().map(this::shortName).toList(),
                    null, "no common snapshot", quiet);
        }
        SnapshotInfo base = common.get();
        List<SnapshotInfo> after = own.stream().filter(s -> s.createtxg() > base.createtxg()).toList();
        Long bytes = after.isEmpty() ? null : after.get(after.size() - 1).referencedBytes() - base.referencedBytes();
        String how = after.isEmpty()
                ? "unknown: no snapshot after it, and writes after the newest snapshot are not in the inventory"
                        + " (no 'written' on this zfs); kept anyway"
                : "net growth of referenced bytes from @" + base.name().shortName() + " to @"
                        + after.get(after.size() - 1).name().shortName() + "; writes after the newest snapshot are"
                        + " not in the inventory; kept anyway";
        DatasetName dataset = former.dataset();
        return new RejoinPlan(dataset, copy.dataset(), new CommonSnapshot(dataset, base.name(), base.guid(),
                base.created()), after.stream().map(this::shortName).toList(), bytes, how, quiet);
    }

    private String shortName(SnapshotInfo s) {
        return s.name().shortName();
    }
}
