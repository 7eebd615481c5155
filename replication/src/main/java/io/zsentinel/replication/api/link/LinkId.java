package io.zsentinel.replication.api.link;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.zsentinel.replication.api.DatasetId;

import java.util.Objects;

/**
 * A replication link: {@code <source server>:<source dataset>-><target server>:<target dataset>}.
 * Neither a server id nor a dataset name may hold '>', so the first "->" splits the two ends.
 */
public record LinkId(DatasetId source, DatasetId target) {
    private static final String ARROW = "->";

    public LinkId {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        if (source.equals(target)) {
            throw new IllegalArgumentException("invalid link " + source + ARROW + target
                    + ": a dataset cannot replicate to itself");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LinkId parse(String id) {
        int arrow = id == null ? -1 : id.indexOf(ARROW);
        if (arrow < 0) {
            throw new IllegalArgumentException("invalid link id \"" + id
                    + "\": expected <server>:<dataset>-><server>:<dataset>, e.g. primary:tank/vm1->standby:tank/vm1");
        }
        return new LinkId(DatasetId.parse(id.substring(0, arrow)), DatasetId.parse(id.substring(arrow + ARROW.length())));
    }

    @JsonValue
    @Override
    public String toString() {
        return source + ARROW + target;
    }
}
