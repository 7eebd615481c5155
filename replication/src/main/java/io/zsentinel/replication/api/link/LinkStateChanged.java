package io.zsentinel.replication.api.link;

import java.time.Instant;

/** The link's state changed (see {@code LinkState} for the legal transitions). */
public record LinkStateChanged(LinkId linkId, LinkState from, LinkState to, Instant at) implements LinkEvent {
}
