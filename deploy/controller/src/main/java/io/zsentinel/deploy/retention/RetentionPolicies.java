package io.zsentinel.deploy.retention;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.PolicyRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.config.RetentionConfig;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.schedule.PolicyConfiguration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured policies, each built once: the schedulers ask for a dataset's policy on every tick,
 * and building one parses zones, times and durations. A replication link's copy (a replica) gets the
 * link's {@code keep}, or its source's policy, always receive-only; a retention rule matching a copy is
 * not applied to it (it would take snapshots there and make the link diverge). A replica whose rule has
 * no {@code keep} and whose source is not known yet (see {@link #refresh}) has no policy meanwhile.
 */
public final class RetentionPolicies implements PolicyConfiguration {
    private record Rule(PolicyRule rule, RetentionPolicy policy) {
    }

    private final List<Rule> rules;
    private final List<LinkRule> links;
    private volatile Map<DatasetId, RetentionPolicy> mirrored = Map.of();

    public RetentionPolicies(RetentionConfig config) {
        this(config, new ReplicationConfig(null, null));
    }

    public RetentionPolicies(RetentionConfig config, ReplicationConfig replication) {
        this.rules = config.policies().stream().map(r -> new Rule(r, r.policy())).toList();
        this.links = replication.links();
    }

    /** Learns which source each copy has, for copies that take their source's policy; once per tick. */
    void refresh(List<DatasetId> datasets) {
        Map<DatasetId, RetentionPolicy> next = new HashMap<>();
        for (DatasetId d : datasets) {
            for (LinkRule link : links) {
                link.linkFor(d.server(), d.dataset()).ifPresent(l -> ownPolicy(d.server(), d.dataset())
                        .ifPresent(p -> next.putIfAbsent(l.target(), p.withReceiveOnly(true))));
            }
        }
        mirrored = Map.copyOf(next);
    }

    /** The dataset's policy: its link's replica policy if it is a copy, else the first matching rule's. */
    Optional<RetentionPolicy> forDataset(ServerId server, DatasetName dataset) {
        for (LinkRule link : links) {
            if (link.isTarget(server, dataset)) {
                return link.replicaPolicy().or(() -> Optional.ofNullable(mirrored.get(new DatasetId(server, dataset))));
            }
        }
        return ownPolicy(server, dataset);
    }

    @Override
    public Optional<RetentionPolicy> policyFor(DatasetId dataset) {
        return forDataset(dataset.server(), dataset.dataset());
    }

    private Optional<RetentionPolicy> ownPolicy(ServerId server, DatasetName dataset) {
        return rules.stream().filter(r -> r.rule().matches(server, dataset)).map(Rule::policy).findFirst();
    }
}
