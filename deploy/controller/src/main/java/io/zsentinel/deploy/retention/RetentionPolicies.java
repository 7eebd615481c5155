package io.zsentinel.deploy.retention;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.RescueNames;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.PolicyRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.config.RetentionConfig;
import io.zsentinel.deploy.replication.FailoverLinks;
import io.zsentinel.deploy.replication.ServiceSwitches;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.schedule.PolicyConfiguration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured policies, each built once: the schedulers ask for a dataset's policy on every tick,
 * and building one parses zones, times and durations; which rule and which link rules fit a dataset is worked
 * out once per dataset too (the configuration does not change while the controller runs). A replication link's copy (a replica) gets the
 * link's {@code keep}, or its source's policy, always receive-only; a retention rule matching a copy is
 * not applied to it (it would take snapshots there and make the link diverge). A replica whose rule has
 * no {@code keep} and whose source is not known yet (see {@link #refresh}) has no policy meanwhile.
 * <p>
 * After a failover ({@link FailoverLinks}) the policy follows the service: the new primary's copy takes the former
 * primary dataset's own policy (it takes the snapshots its links to the remaining targets send), and the former
 * primary's dataset has none (no snapshot taken, none pruned there, until an operator rejoins the server).
 */
public final class RetentionPolicies implements PolicyConfiguration {
    /** A rule, its policy, and that policy as its copies take it (receive-only). */
    private record Rule(PolicyRule rule, RetentionPolicy policy, RetentionPolicy forCopies) {
    }

    /** A dataset as a copy: none (empty) or a link's copy, with the link's {@code keep} if it has one. */
    private record Copy(Optional<RetentionPolicy> keep) {
    }

    private final List<Rule> rules;
    private final List<LinkRule> links;
    private final FailoverLinks failovers;
    private volatile Map<DatasetId, RetentionPolicy> mirrored = Map.of();
    /** Per dataset, what the configuration alone says (it does not change while the controller runs). */
    private final Map<DatasetId, Optional<Copy>> copies = new ConcurrentHashMap<>();
    private final Map<DatasetId, Optional<Rule>> own = new ConcurrentHashMap<>();
    private final Map<DatasetId, List<DatasetId>> copiesOf = new ConcurrentHashMap<>();

    public RetentionPolicies(RetentionConfig config) {
        this(config, new ReplicationConfig(null, null));
    }

    public RetentionPolicies(RetentionConfig config, ReplicationConfig replication) {
        this(config, replication, FailoverLinks.of(replication, new ServiceSwitches()));
    }

    /** {@code failovers}: the links as failovers re-planned them, which the policies follow. */
    public RetentionPolicies(RetentionConfig config, ReplicationConfig replication, FailoverLinks failovers) {
        this.failovers = failovers;
        this.rules = config.policies().stream().map(r -> {
            RetentionPolicy policy = r.policy();
            return new Rule(r, policy, policy.withReceiveOnly(true));
        }).toList();
        this.links = replication.links();
    }

    /** Learns which source each copy has, for copies that take their source's policy; once per tick. */
    void refresh(List<DatasetId> datasets) {
        Map<DatasetId, RetentionPolicy> next = new HashMap<>();
        for (DatasetId d : datasets) {
            List<DatasetId> copies = copiesOf.computeIfAbsent(d, source -> links.stream()
                    .flatMap(link -> link.linkFor(source.server(), source.dataset()).stream())
                    .map(LinkId::target).toList());
            if (!copies.isEmpty()) {
                ownRule(d.server(), d.dataset()).ifPresent(r -> copies.forEach(c -> next.putIfAbsent(c, r.forCopies())));
            }
        }
        mirrored = Map.copyOf(next);
    }

    /** The dataset's policy: its link's replica policy if it is a copy, else the first matching rule's. */
    Optional<RetentionPolicy> forDataset(ServerId server, DatasetName dataset) {
        if (RescueNames.isRescue(dataset)) {
            return Optional.empty();
        }
        DatasetId id = new DatasetId(server, dataset);
        if (failovers.supersededBy(id).isPresent()) {
            return Optional.empty();
        }
        Optional<DatasetId> servesFor = failovers.servesFor(id);
        if (servesFor.isPresent()) {
            return ownPolicy(servesFor.get().server(), servesFor.get().dataset());
        }
        Optional<Copy> copy = copies.computeIfAbsent(id, d -> links.stream().filter(l -> l.isTarget(server, dataset))
                .findFirst().map(l -> new Copy(l.replicaPolicy())));
        if (copy.isPresent()) {
            return copy.get().keep().or(() -> Optional.ofNullable(mirrored.get(id)));
        }
        return ownPolicy(server, dataset);
    }

    /**
     * A rejoin's rescue (below {@code <pool>/zsentinel-rescue}) has none, whatever a rule's pattern matches (its
     * snapshots include the former primary's own {@code zsentinel_*} ones): nothing is taken or pruned there, only an
     * operator's release removes it.
     */
    @Override
    public Optional<RetentionPolicy> policyFor(DatasetId dataset) {
        return forDataset(dataset.server(), dataset.dataset());
    }

    private Optional<RetentionPolicy> ownPolicy(ServerId server, DatasetName dataset) {
        return ownRule(server, dataset).map(Rule::policy);
    }

    private Optional<Rule> ownRule(ServerId server, DatasetName dataset) {
        return own.computeIfAbsent(new DatasetId(server, dataset),
                d -> rules.stream().filter(r -> r.rule().matches(server, dataset)).findFirst());
    }
}
