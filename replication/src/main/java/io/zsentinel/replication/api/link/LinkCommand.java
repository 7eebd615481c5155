package io.zsentinel.replication.api.link;

/** Commands handled by the ReplicationLink aggregate. */
public interface LinkCommand {
    LinkId linkId();
}
