package io.zsentinel.replication.schedule;

import io.zsentinel.replication.api.DatasetId;

import java.util.List;

/** The port through which the link schedule reads the replication configuration. */
@FunctionalInterface
public interface LinkConfiguration {
    /** The links configured for {@code source}, one per rule it matches, in the configuration's order. */
    List<ConfiguredLink> linksFrom(DatasetId source);
}
