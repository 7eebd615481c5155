package io.zsentinel.projections.inventory;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.time.Instant;

/** One snapshot as the API shows it; the guid is decimal text so that no JSON reader rounds it. */
public record SnapshotRow(ServerId server, DatasetName dataset, String name, String shortName, String guid,
                          long createtxg, Instant created, long usedBytes, long referencedBytes,
                          boolean takenByZsentinel) {
}
