package io.zsentinel.replication.api.link;

import java.time.Duration;
import java.time.Instant;

/** The configuration of an established link changed (its interval or retry policy); its history stays. */
public record LinkSettingsChanged(LinkId linkId, Duration interval, LinkPolicy policy, Instant at) implements LinkEvent {
}
