package io.zsentinel.replication.schedule;

import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.retention.RetentionPolicy;

import java.util.Optional;

/** The port through which the retention and capacity schedules read a dataset's configured policy. */
@FunctionalInterface
public interface PolicyConfiguration {
    /** The dataset's policy; empty when none applies (zsentinel only records its snapshots). */
    Optional<RetentionPolicy> policyFor(DatasetId dataset);
}
