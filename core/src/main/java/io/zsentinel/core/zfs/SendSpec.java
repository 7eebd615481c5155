package io.zsentinel.core.zfs;

import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.SnapshotName;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code zfs send} streams: {@code snapshot} in full, or incrementally from {@code from}
 * ({@code -i}; with every snapshot in between when {@code intermediates}, {@code -I}), or from the
 * bookmark {@code fromBookmark} ({@code -i dataset#bookmark}, OpenZFS: a bookmark cannot be {@code -I}'s
 * source), with the dataset's properties when {@code properties} ({@code -p}); or, when
 * {@code resumeToken} is set, the rest of an interrupted stream ({@code send -t}, OpenZFS only).
 */
public record SendSpec(SnapshotName snapshot, SnapshotName from, boolean intermediates, boolean properties,
                       String resumeToken, BookmarkName fromBookmark) {
    public SendSpec(SnapshotName snapshot, SnapshotName from, boolean intermediates, boolean properties,
                    String resumeToken) {
        this(snapshot, from, intermediates, properties, resumeToken, null);
    }

    public SendSpec {
        if (resumeToken == null) {
            Objects.requireNonNull(snapshot, "snapshot");
            if (fromBookmark != null && (from != null || intermediates
                    || !fromBookmark.dataset().equals(snapshot.dataset()))) {
                throw new IllegalArgumentException("a stream from bookmark " + fromBookmark + " to " + snapshot
                        + " has no other source and no intermediates (-I), and is of one dataset");
            }
            if (from != null && !from.dataset().equals(snapshot.dataset())) {
                throw new IllegalArgumentException("incremental source " + from + " and " + snapshot
                        + " are snapshots of different datasets");
            }
            if (from == null && intermediates) {
                throw new IllegalArgumentException("intermediates (-I) need an incremental source");
            }
        } else if (!resumeToken.matches("[0-9a-zA-Z-]{1,4096}")) {
            throw new IllegalArgumentException("resume token has characters a ZFS token never has");
        }
    }

    public static SendSpec full(SnapshotName snapshot) {
        return new SendSpec(snapshot, null, false, false, null);
    }

    public static SendSpec incremental(SnapshotName from, SnapshotName to) {
        return new SendSpec(to, from, false, false, null);
    }

    /** {@code -I}: the target also gets every snapshot between {@code from} and {@code to}. */
    public static SendSpec withIntermediates(SnapshotName from, SnapshotName to) {
        return new SendSpec(to, from, true, false, null);
    }

    /** {@code -i dataset#bookmark}: from a snapshot's bookmark, the snapshot itself may be gone. */
    public static SendSpec fromBookmark(BookmarkName from, SnapshotName to) {
        return new SendSpec(to, null, false, false, null, Objects.requireNonNull(from, "from"));
    }

    /** The rest of an interrupted stream; {@code snapshot} names what it ends in, for reports only. */
    public static SendSpec resume(String token, SnapshotName snapshot) {
        return new SendSpec(snapshot, null, false, false, Objects.requireNonNull(token, "token"));
    }

    /** {@code -p}: also send the dataset's properties (so the target gets e.g. its user properties). */
    public SendSpec withProperties() {
        return new SendSpec(snapshot, from, intermediates, true, resumeToken, fromBookmark);
    }

    public boolean incremental() {
        return from != null || fromBookmark != null;
    }

    /** The argument list, program name first ({@code zfs}); names are separate arguments, never shell text. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>(List.of("zfs", "send"));
        if (resumeToken != null) {
            argv.addAll(List.of("-t", resumeToken));
            return List.copyOf(argv);
        }
        if (properties) {
            argv.add("-p");
        }
        if (from != null) {
            argv.add(intermediates ? "-I" : "-i");
            argv.add(from.full());
        } else if (fromBookmark != null) {
            argv.add("-i");
            argv.add(fromBookmark.full());
        }
        argv.add(snapshot.full());
        return List.copyOf(argv);
    }
}
