package io.zsentinel.replication.schedule;

import io.zsentinel.replication.api.DatasetId;

import java.util.List;

/** The port through which the link schedule reads the replication configuration. */
@FunctionalInterface
public interface LinkConfiguration {
    /** The links configured for {@code source}, one per rule it matches, in the configuration's order. */
    List<ConfiguredLink> linksFrom(DatasetId source);

    /**
     * The links of {@code source} that exist even when they are not planned: what keeps a link from being retired.
     * Usually {@link #linksFrom}; more when a link stays but must send nothing (a failed primary's links after a
     * failover stay paused, with their bases, until an operator rejoins that server).
     */
    default List<ConfiguredLink> keptFrom(DatasetId source) {
        return linksFrom(source);
    }
}
