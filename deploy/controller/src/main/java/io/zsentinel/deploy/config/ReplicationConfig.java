package io.zsentinel.deploy.config;

import java.util.List;

/**
 * {@code replication:} in controller.yaml: how often links are planned, and the links. Every rule a
 * dataset matches makes one link (a dataset typically has a standby and an offsite link).
 */
public record ReplicationConfig(Integer tickSeconds, List<LinkRule> links) {
    public ReplicationConfig {
        tickSeconds = tickSeconds == null ? 10 : tickSeconds;
        if (tickSeconds < 1 || tickSeconds > 3600) {
            throw new IllegalArgumentException("replication.tickSeconds must be 1..3600, not " + tickSeconds);
        }
        links = links == null ? List.of() : List.copyOf(links);
    }

    /**
     * The rule that makes {@code link}, if it is still configured; for a link a failover made from the new primary
     * (no rule matches its source), the rule whose copy its target is, so it keeps that rule's bandwidth limit.
     */
    public java.util.Optional<LinkRule> ruleFor(io.zsentinel.replication.api.link.LinkId link) {
        java.util.Optional<LinkRule> making = links.stream().filter(r -> r.linkFor(link.source().server(),
                link.source().dataset()).filter(link::equals).isPresent()).findFirst();
        return making.isPresent() ? making : links.stream()
                .filter(r -> r.isTarget(link.target().server(), link.target().dataset())).findFirst();
    }

    public static ReplicationConfig none() {
        return new ReplicationConfig(null, null);
    }
}
