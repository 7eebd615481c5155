package io.zsentinel.deploy.failover;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.choose.Candidate;
import io.zsentinel.failover.choose.FailoverSituation;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.failover.detect.Verdict;
import io.zsentinel.failover.service.ServiceDefinition;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a failover decision needs, read from what the controller knows at that moment: the failure detector's
 * verdicts (health, maintenance), the snapshot inventory (every server's snapshots with their guids) and the
 * replication links (which dataset of a standby is the copy of which dataset of the primary).
 * <p>
 * A standby's newest common snapshot of a dataset is the primary's newest snapshot whose guid the standby's copy
 * also holds (a snapshot received keeps its guid); the standby's copy of a dataset is the target of the link from
 * the primary's dataset to that standby, or a dataset of the same name there when no link says otherwise.
 */
public final class Situations {
    private final FailureDetector detector;
    private final Supplier<List<DatasetId>> datasets;
    private final Function<DatasetId, List<SnapshotInfo>> snapshots;
    private final Supplier<List<LinkId>> links;

    public Situations(FailureDetector detector, Supplier<List<DatasetId>> datasets,
                      Function<DatasetId, List<SnapshotInfo>> snapshots, Supplier<List<LinkId>> links) {
        this.detector = detector;
        this.datasets = datasets;
        this.snapshots = snapshots;
        this.links = links;
    }

    /** The failover of {@code service} away from {@code primary}, as things stand at {@code now}. */
    public FailoverSituation of(ServiceDefinition service, ServerId primary, String blockedBy, Instant now) {
        List<LinkId> known = links.get();
        Set<DatasetName> served = datasets.get().stream()
                .filter(id -> id.server().equals(primary) && serves(service, id, known))
                .map(DatasetId::dataset).collect(Collectors.toCollection(TreeSet::new));
        Map<ServerId, Candidate> candidates = new HashMap<>();
        // after a failover the configured primary is a standby of the server that serves: failback is a switchover
        Set<ServerId> members = new LinkedHashSet<>(service.standbys());
        members.add(service.primary());
        for (ServerId standby : members) {
            if (standby.equals(primary)) {
                continue;
            }
            Verdict verdict = detector.verdict(standby, now);
            Map<DatasetName, DatasetName> copies = new HashMap<>();
            Map<DatasetName, CommonSnapshot> common = new HashMap<>();
            for (DatasetName dataset : served) {
                DatasetName copy = copyOn(known, new DatasetId(primary, dataset), standby);
                copies.put(dataset, copy);
                newestCommon(new DatasetId(primary, dataset), new DatasetId(standby, copy))
                        .ifPresent(c -> common.put(dataset, c));
            }
            candidates.put(standby, new Candidate(standby, verdict.health(), verdict.maintenance(), common, copies));
        }
        Verdict failed = detector.verdict(primary, now);
        return new FailoverSituation(service, primary, failed.health(), failed.maintenance(), served, candidates,
                blockedBy, now);
    }

    /** When the primary's lease has certainly lapsed: its last heartbeat plus the lease and a margin. */
    public Instant leaseLapsesAt(ServerId primary, Duration leaseAndMargin, Instant now) {
        Instant last = detector.verdict(primary, now).lastHeartbeat();
        return (last == null ? now : last).plus(leaseAndMargin);
    }

    /**
     * Whether {@code id} is one of the service's datasets: named by its pattern (on the configured primary), or the
     * copy of one on another server (a failover's new primary serves standby/vm1 for tank/vm1), as a link says:
     * from the configured primary's dataset to it, or from it back to the configured primary after a rejoin.
     */
    private static boolean serves(ServiceDefinition service, DatasetId id, List<LinkId> links) {
        if (service.serves(id.dataset())) {
            return true;
        }
        return links.stream().anyMatch(l -> (l.target().equals(id) && l.source().server().equals(service.primary())
                && service.serves(l.source().dataset())) || (l.source().equals(id)
                && l.target().server().equals(service.primary()) && service.serves(l.target().dataset())));
    }

    /** The standby's copy: the target of a link from {@code source} to it, else the source of one from it, else the name. */
    private static DatasetName copyOn(List<LinkId> links, DatasetId source, ServerId standby) {
        return links.stream().filter(l -> l.source().equals(source) && l.target().server().equals(standby))
                .map(l -> l.target().dataset()).findFirst()
                .or(() -> links.stream().filter(l -> l.target().equals(source) && l.source().server().equals(standby))
                        .map(l -> l.source().dataset()).findFirst())
                .orElse(source.dataset());
    }

    private Optional<CommonSnapshot> newestCommon(DatasetId primary, DatasetId copy) {
        Set<Guid> held = snapshots.apply(copy).stream().map(SnapshotInfo::guid).collect(Collectors.toSet());
        return snapshots.apply(primary).stream().filter(s -> held.contains(s.guid()))
                .max(Comparator.comparingLong(SnapshotInfo::createtxg).thenComparing(SnapshotInfo::created))
                .map(s -> new CommonSnapshot(primary.dataset(), s.name(), s.guid(), s.created()));
    }
}
