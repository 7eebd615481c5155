package io.zsentinel.replication.schedule;

import io.zsentinel.replication.api.link.LinkId;

/** The port through which the link schedule tells a link whose state changed from one whose state did not. */
@FunctionalInterface
public interface LinkVersions {
    /** A number that changes with every event of the link the controller has seen; -1 when it knows none. */
    long version(LinkId link);
}
