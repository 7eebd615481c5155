package io.zsentinel.replication.api.link;

import java.time.Instant;

/**
 * The inventories show the target already has the source's newest snapshot (e.g. a transfer we gave up
 * on did finish): {@code base} is the common base, failures are over.
 */
public record TargetCaughtUp(LinkId linkId, SnapshotRef base, Instant at) implements LinkEvent {
}
