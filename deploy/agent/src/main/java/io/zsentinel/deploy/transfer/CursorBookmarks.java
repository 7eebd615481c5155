package io.zsentinel.deploy.transfer;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.ZfsDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One replication cursor per link on the source (zrepl's idea): after each success the link's newest
 * sent snapshot is bookmarked as {@code dataset#zsentinel-cursor-<link key>-<guid>} and the link's older
 * cursors are destroyed, so the source may prune that snapshot and still send incrementally from the
 * bookmark, and cursors never pile up (one per link and dataset). The key is a hash of the link's name:
 * links to different targets never touch each other's cursor. Only where the zfs has bookmarks.
 */
final class CursorBookmarks {
    static final String PREFIX = "zsentinel-cursor-";
    private static final Logger log = LoggerFactory.getLogger(CursorBookmarks.class);

    private final ZfsDriver source;

    CursorBookmarks(ZfsDriver source) {
        this.source = source;
    }

    /** The cursor name of {@code link} at {@code sent}. */
    static BookmarkName cursor(String link, SnapshotName sent, Guid guid) {
        return new BookmarkName(sent.dataset(), prefix(link) + guid);
    }

    /** {@code zsentinel-cursor-<12 hex of SHA-256 of the link's name>-}: short, fixed-length, name-safe. */
    static String prefix(String link) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(link.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(hash, 0, 6) + "-";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Destroys every cursor of {@code link} on {@code dataset} (the link left the configuration); how many. */
    int forget(String link, DatasetName dataset) {
        if (!source.features().bookmarks()) {
            return 0;
        }
        List<BookmarkName> cursors = cursorsOf(link, dataset);
        cursors.forEach(source::destroyBookmark);
        if (!cursors.isEmpty()) {
            log.info("link {} is no longer configured: its cursor {} destroyed", link, cursors);
        }
        return cursors.size();
    }

    /**
     * Moves {@code link}'s cursor to {@code sent} (guid {@code guid}); a failure is logged and changes
     * nothing else: the held base still protects the link, the cursor is only a further way back.
     */
    void advance(String link, SnapshotName sent, Guid guid) {
        if (!source.features().bookmarks() || link == null || link.isEmpty()) {
            return;
        }
        BookmarkName cursor = cursor(link, sent, guid);
        try {
            List<BookmarkName> old = cursorsOf(link, sent.dataset());
            if (old.equals(List.of(cursor))) {
                return; // a repeated success: already there
            }
            if (!old.contains(cursor)) {
                source.createBookmark(sent, cursor);
            }
            for (BookmarkName b : old) {
                if (!b.equals(cursor)) {
                    source.destroyBookmark(b);
                }
            }
            log.info("cursor of link {} moved to {} (was {})", link, cursor, old);
        } catch (RuntimeException e) {
            log.warn("could not move the cursor bookmark of link {} to {}: {}", link, sent, e.getMessage());
        }
    }

    private List<BookmarkName> cursorsOf(String link, DatasetName dataset) {
        String prefix = prefix(link);
        return source.listBookmarks(dataset).stream().map(BookmarkInfo::name)
                .filter(b -> b.dataset().equals(dataset) && b.shortName().startsWith(prefix)).toList();
    }
}
