package io.zsentinel.core.messages.facts;

import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.Guid;

import java.time.Instant;
import java.util.Objects;

/**
 * One bookmark as OpenZFS reports it: the guid and createtxg of the snapshot it was made from, which an
 * incremental stream can start at ({@code zfs send -i dataset#bookmark}) after that snapshot is gone.
 */
public record BookmarkInfo(BookmarkName name, Guid guid, long createtxg, Instant created) {
    public BookmarkInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(created, "created");
    }
}
