package io.zsentinel.replication.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;

import java.util.Objects;

/**
 * A dataset on one server: pools of different servers may share names ({@code tank}), so the
 * aggregate id is {@code server:dataset}. A server id cannot hold ':', so the first ':' splits it.
 */
public record DatasetId(ServerId server, DatasetName dataset) {
    public DatasetId {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(dataset, "dataset");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static DatasetId parse(String id) {
        int colon = id == null ? -1 : id.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("invalid dataset id \"" + id + "\": expected server:dataset");
        }
        return new DatasetId(new ServerId(id.substring(0, colon)), new DatasetName(id.substring(colon + 1)));
    }

    @JsonValue
    @Override
    public String toString() {
        return server.value() + ":" + dataset.value();
    }
}
