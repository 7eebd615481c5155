package io.zsentinel.replication.schedule;

import io.zsentinel.replication.api.link.LinkId;

import java.time.Duration;
import java.util.Objects;

/** A link the replication configuration makes, and how often it replicates. */
public record ConfiguredLink(LinkId link, Duration interval) {
    public ConfiguredLink {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(interval, "interval");
    }
}
