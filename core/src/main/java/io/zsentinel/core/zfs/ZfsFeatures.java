package io.zsentinel.core.zfs;

import io.zsentinel.core.values.PoolName;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What this host's zfs can do, detected once per driver by cheap probes that change nothing.
 *
 * @param parsableList     {@code zfs list -p} (exact numbers)
 * @param parsablePoolList {@code zpool list -p}
 * @param bookmarks        {@code zfs bookmark} and the pool feature {@code feature@bookmarks} enabled
 * @param userHolds        {@code zfs hold} / {@code zfs release} (and the {@code userrefs} count)
 * @param holdListing      {@code zfs holds} (listing the tags of a snapshot)
 * @param resumeTokens     the {@code receive_resume_token} property ({@code receive -s})
 * @param snapshotsChanged the {@code snapshots_changed} property (OpenZFS 2.2+)
 * @param sendEstimate     {@code zfs send -n -v -P} (a dry run that prints the stream size)
 * @param snapshotDirectory snapshots readable in place under {@code <mountpoint>/.zfs/snapshot/<name>}
 *                          (OpenZFS, also with {@code snapdir=hidden}); zfs-fuse has no {@code .zfs}
 * @param written          the {@code written} property (bytes changed since the newest snapshot)
 * @param receiveProperties {@code zfs receive -o property=value} (OpenZFS 0.8+): a property set as part of the
 *                          receive itself; zfs-fuse refuses the option, so properties are set after it
 */
public record ZfsFeatures(boolean parsableList, boolean parsablePoolList, boolean bookmarks, boolean userHolds,
                          boolean holdListing, boolean resumeTokens, boolean snapshotsChanged,
                          boolean sendEstimate, boolean snapshotDirectory, boolean written, boolean receiveProperties) {

    /** A snapshot name that no one creates: probes name it so that they can never touch data. */
    static final String PROBE = "zsentinel-feature-probe";

    /** Everything current OpenZFS (2.2) has. */
    public static final ZfsFeatures OPENZFS_2_2 = new ZfsFeatures(true, true, true, true, true, true, true, true, true,
            true, true);

    /** Debian's zfs-fuse (pool version 23): holds can be placed and released but not listed. */
    public static final ZfsFeatures ZFS_FUSE = new ZfsFeatures(false, false, false, true, false, false, false, false,
            false, false, false);

    /**
     * Probes {@code runner}'s zfs with {@code pool} as the target; about a dozen short processes.
     * A probe counts a feature present unless zfs rejects the option, command or property itself:
     * "dataset does not exist" for the probe snapshot means the syntax was accepted. The receive probe
     * gets an empty stream (the runner closes stdin), so it creates nothing.
     */
    public static ZfsFeatures detect(CommandRunner runner, PoolName pool, Duration timeout) {
        String p = pool.value();
        String probeSnapshot = p + "@" + PROBE;
        return new ZfsFeatures(
                accepted(runner, timeout, List.of("zfs", "list", "-H", "-p", "-o", "name", "-d", "0", p)),
                accepted(runner, timeout, List.of("zpool", "list", "-H", "-p", "-o", "name", p)),
                poolFeatureEnabled(runner, timeout, pool, "bookmarks"),
                accepted(runner, timeout, List.of("zfs", "get", "-H", "-o", "value", "userrefs", p)),
                accepted(runner, timeout, List.of("zfs", "holds", "-H", probeSnapshot)),
                accepted(runner, timeout, List.of("zfs", "get", "-H", "-o", "value", "receive_resume_token", p)),
                accepted(runner, timeout, List.of("zfs", "get", "-H", "-o", "value", "snapshots_changed", p)),
                accepted(runner, timeout, List.of("zfs", "send", "-n", "-v", "-P", probeSnapshot)),
                snapshotDirectoryPresent(runner, timeout, pool),
                accepted(runner, timeout, List.of("zfs", "get", "-H", "-o", "value", "written", p)),
                accepted(runner, timeout, List.of("zfs", "receive", "-o", "readonly=on", p + "/" + PROBE)));
    }

    /**
     * Looks for {@code .zfs/snapshot} under the pool's root mountpoint: OpenZFS answers it even when
     * hidden from listings; zfs-fuse never has it. An unmounted pool root reads as absent, which only
     * costs a restore the slower (clone) path.
     */
    private static boolean snapshotDirectoryPresent(CommandRunner runner, Duration timeout, PoolName pool) {
        CommandResult result = runner.run(List.of("zfs", "get", "-H", "-p", "-o", "value", "mountpoint", pool.value()),
                timeout);
        String mountpoint = result.succeeded() ? result.stdout().strip() : "";
        if (!mountpoint.startsWith("/")) {
            return false;
        }
        try {
            return Files.isDirectory(Path.of(mountpoint, ".zfs", "snapshot"));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean accepted(CommandRunner runner, Duration timeout, List<String> probe) {
        CommandResult result = runner.run(probe, timeout);
        if (result.succeeded()) {
            return true;
        }
        if (result.timedOut()) {
            throw ZfsException.of("detect zfs features with", String.join(" ", probe), result);
        }
        return ZfsErrorKind.classify(result.errorText()) != ZfsErrorKind.UNSUPPORTED;
    }

    /** Pool feature flags exist only on OpenZFS; zfs-fuse's {@code zpool get} has no -H and fails. */
    private static boolean poolFeatureEnabled(CommandRunner runner, Duration timeout, PoolName pool, String feature) {
        CommandResult result = runner.run(
                List.of("zpool", "get", "-H", "-o", "value", "feature@" + feature, pool.value()), timeout);
        if (!result.succeeded()) {
            return false;
        }
        String state = result.stdout().strip().toLowerCase(Locale.ROOT);
        return state.equals("enabled") || state.equals("active");
    }
}
