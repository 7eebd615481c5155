package io.zsentinel.replication.retention;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;

/** Test snapshots of {@code primary/vm1}: a short name, a guid and a createtxg. */
final class Snapshots {
    static final DatasetName DS = DatasetName.of("primary/vm1");

    private Snapshots() {
    }

    static RetainedSnapshot snap(String shortName, long guid, long createtxg) {
        return RetainedSnapshot.of(DS.snapshot(shortName), new Guid(guid), createtxg);
    }

    static String shortName(RetainedSnapshot s) {
        return s.name().shortName();
    }
}
