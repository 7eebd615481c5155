package io.zsentinel.replication.api;

import io.zsentinel.replication.retention.RetentionPolicy;

import java.time.Instant;

/** The dataset's retention policy changed ({@code policy} null: none). */
public record RetentionPolicyChanged(DatasetId id, RetentionPolicy policy, Instant at) implements DatasetEvent {
}
