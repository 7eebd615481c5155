package io.zsentinel.deploy.retention;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.PolicyRule;
import io.zsentinel.deploy.config.RetentionConfig;
import io.zsentinel.replication.retention.RetentionPolicy;

import java.util.List;
import java.util.Optional;

/**
 * The configured policies, each built once: the schedulers ask for a dataset's policy on every tick,
 * and building one parses zones, times and durations.
 */
final class RetentionPolicies {
    private record Rule(PolicyRule rule, RetentionPolicy policy) {
    }

    private final List<Rule> rules;

    RetentionPolicies(RetentionConfig config) {
        this.rules = config.policies().stream().map(r -> new Rule(r, r.policy())).toList();
    }

    /** The policy of the first rule matching the dataset, if any. */
    Optional<RetentionPolicy> forDataset(ServerId server, DatasetName dataset) {
        return rules.stream().filter(r -> r.rule().matches(server, dataset)).map(Rule::policy).findFirst();
    }
}
