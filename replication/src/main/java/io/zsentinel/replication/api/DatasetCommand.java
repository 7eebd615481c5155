package io.zsentinel.replication.api;

/** Commands handled by the Dataset aggregate. */
public interface DatasetCommand {
    DatasetId id();
}
