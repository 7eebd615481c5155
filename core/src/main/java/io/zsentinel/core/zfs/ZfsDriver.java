package io.zsentinel.core.zfs;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.retry.Polling;
import io.zsentinel.core.values.BookmarkName;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.SnapshotName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * zfs and zpool, as typed operations. Every listing is one process for the whole tree, whichever
 * parsable form this host's zfs offers (see {@link ZfsFeatures}); every failure is a classified
 * {@link ZfsException}.
 */
public final class ZfsDriver {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    /** Destroys of one snapshot or dataset, the first included, before a lingering or busy one is an error. */
    static final int DESTROY_ATTEMPTS = 5;
    /** The pause before the n-th retry of a destroy: 100 ms times n. */
    static final IntervalFunction DESTROY_PAUSES = retry -> 100L * retry;
    /** The name prefix of the temporary clones {@link #mountSnapshot} creates below a pool's root. */
    public static final String RESTORE_CLONE_PREFIX = "zsentinel-restore-";

    private final CommandRunner runner;
    private final ZfsFeatures features;
    private final Duration timeout;
    private final Retry destroyRetry;

    public ZfsDriver(CommandRunner runner, ZfsFeatures features) {
        this(runner, features, DEFAULT_TIMEOUT);
    }

    public ZfsDriver(CommandRunner runner, ZfsFeatures features, Duration timeout) {
        this(runner, features, timeout, DESTROY_PAUSES);
    }

    /** With the pauses between destroy attempts from {@code destroyPauses} (tests: none). */
    ZfsDriver(CommandRunner runner, ZfsFeatures features, Duration timeout, IntervalFunction destroyPauses) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.features = Objects.requireNonNull(features, "features");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        // Only a dataset or snapshot still there is destroyed again; a failure that reaches the retry is final
        // (each destroy decides which failures are worth another attempt).
        this.destroyRetry = Retry.of("zfs-destroy", Polling.attempts(DESTROY_ATTEMPTS, destroyPauses));
    }

    /** Detects the features of {@code runner}'s zfs, probing {@code pool}, and builds a driver on them. */
    public static ZfsDriver detect(CommandRunner runner, PoolName pool) {
        return new ZfsDriver(runner, ZfsFeatures.detect(runner, pool, DEFAULT_TIMEOUT));
    }

    public ZfsFeatures features() {
        return features;
    }

    /**
     * Every snapshot at or below {@code root}, ordered by dataset then creation txg. One process. Output that cannot
     * be read fails with {@link ZfsOutputFormatException}: never an empty or partial listing.
     */
    public List<SnapshotEntry> listSnapshots(DatasetName root) {
        List<SnapshotEntry> entries;
        if (features.parsableList()) {
            entries = read("list snapshots of", root.value(), List.of("zfs", "list", "-H", "-p", "-t", "snapshot", "-o",
                    "name," + SnapshotListParser.properties(features), "-r", root.value()),
                    out -> below(root, SnapshotListParser.parseList(out), s -> s.name().dataset(), s -> s.name().full()));
        } else {
            // the table lists root's own properties too: output without them is not a listing of root
            entries = read("list snapshots of", root.value(), List.of("zfs", "get", "-H", "-p", "-r", "-o",
                    "name,property,value", SnapshotListParser.properties(features), root.value()),
                    out -> below(root, SnapshotListParser.parsePropertyTable(out, root.value()), s -> s.name().dataset(),
                            s -> s.name().full()));
        }
        List<SnapshotEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing((SnapshotEntry s) -> s.name().dataset())
                .thenComparingLong(SnapshotEntry::createtxg));
        return sorted;
    }

    /** {@code root} and every filesystem and volume below it. One process; a listing without {@code root} is unreadable. */
    public List<DatasetEntry> listDatasets(DatasetName root) {
        Function<List<DatasetEntry>, List<DatasetEntry>> checked = entries -> {
            if (entries.stream().noneMatch(d -> d.name().equals(root))) {
                throw new ZfsOutputFormatException("dataset listing", entries.isEmpty() ? "" : entries.get(0).name().value(),
                        "the listing does not name " + root + " itself (" + entries.size() + " datasets read)");
            }
            return below(root, entries, DatasetEntry::name, d -> d.name().value());
        };
        if (features.parsableList()) {
            return read("list datasets of", root.value(), List.of("zfs", "list", "-H", "-p", "-t", "filesystem,volume",
                    "-o", "name," + DatasetListParser.properties(features), "-r", root.value()),
                    out -> checked.apply(DatasetListParser.parseList(out, features.written(), features.snapshotsChanged())));
        }
        return read("list datasets of", root.value(), List.of("zfs", "get", "-H", "-p", "-r", "-o",
                "name,property,value", DatasetListParser.PROPERTIES, root.value()),
                out -> checked.apply(DatasetListParser.parsePropertyTable(out)));
    }

    /** Every bookmark at or below {@code root} (one process); none where this zfs has no bookmarks. */
    public List<BookmarkInfo> listBookmarks(DatasetName root) {
        if (!features.bookmarks()) {
            return List.of();
        }
        return read("list bookmarks of", root.value(), List.of("zfs", "list", "-H", "-p",
                "-t", "bookmark", "-o", "name," + BookmarkListParser.PROPERTIES, "-r", root.value()),
                out -> below(root, BookmarkListParser.parseList(out), b -> b.name().dataset(), b -> b.name().full()));
    }

    /** {@code zfs bookmark snapshot bookmark}: keeps the snapshot's position after it is destroyed. */
    public void createBookmark(SnapshotName snapshot, BookmarkName bookmark) {
        if (!snapshot.dataset().equals(bookmark.dataset())) {
            throw new IllegalArgumentException("bookmark " + bookmark + " must be of the dataset of " + snapshot);
        }
        List<String> command = List.of("zfs", "bookmark", snapshot.full(), bookmark.full());
        requireFeature(features.bookmarks(), "bookmark", snapshot, command);
        run("bookmark", snapshot.full(), command);
    }

    /** Destroys a bookmark; the snapshot's data is not touched (bookmarks hold none). */
    public void destroyBookmark(BookmarkName bookmark) {
        run("destroy bookmark", bookmark.full(), List.of("zfs", "destroy", bookmark.full()));
    }

    /** Takes the snapshot and reads it back (two processes). */
    public SnapshotEntry createSnapshot(SnapshotName name) {
        run("create snapshot", name.full(), List.of("zfs", "snapshot", name.full()));
        return readSnapshot(name);
    }

    /** One snapshot's entry, by one {@code zfs get}. */
    public SnapshotEntry readSnapshot(SnapshotName name) {
        List<String> command = List.of("zfs", "get", "-H", "-p", "-o", "name,property,value",
                SnapshotListParser.properties(features), name.full());
        List<SnapshotEntry> read = read("read snapshot", name.full(), command, SnapshotListParser::parsePropertyTable);
        if (read.size() != 1 || !read.get(0).name().equals(name)) {
            throw new ZfsOutputFormatException("zfs get", read.isEmpty() ? "" : read.get(0).name().full(),
                    "expected the one snapshot " + name.full() + ", read " + read.size()).of(command, name.full());
        }
        return read.get(0);
    }

    public boolean snapshotExists(SnapshotName name) {
        CommandResult result = runner.run(List.of("zfs", "list", "-H", "-o", "name", "-t", "snapshot", name.full()),
                timeout);
        if (result.succeeded()) {
            return true;
        }
        ZfsException failure = ZfsException.of("look up snapshot", name.full(), result);
        if (failure.kind() == ZfsErrorKind.DATASET_MISSING) {
            return false;
        }
        throw failure;
    }

    /**
     * Destroys the snapshot and checks that it is gone: zfs-fuse's destroy can report success right
     * after a receive while the snapshot stays, so a lingering snapshot is destroyed again, at most
     * {@value #DESTROY_ATTEMPTS} destroys in all, {@link #DESTROY_PAUSES} apart. A failed destroy is not
     * retried (one that finds it gone after a reported success is fine); a snapshot that does not exist
     * fails with {@link ZfsErrorKind#DATASET_MISSING}.
     */
    public void destroySnapshot(SnapshotName name) {
        List<String> destroy = List.of("zfs", "destroy", name.full());
        int[] attempt = {0};
        boolean gone = untilGone(name.full(), () -> {
            CommandResult result = runner.run(destroy, timeout);
            if (!result.succeeded()) {
                ZfsException failure = ZfsException.of("destroy snapshot", name.full(), result);
                if (attempt[0] == 0 || failure.kind() != ZfsErrorKind.DATASET_MISSING) {
                    throw failure; // gone meanwhile only after a destroy that reported success
                }
            }
            attempt[0]++;
            return !snapshotExists(name);
        });
        if (!gone) {
            throw new ZfsException("destroy snapshot", name.full(), destroy, 0,
                    "zfs reported success " + attempt[0] + " times but the snapshot still exists", ZfsErrorKind.BUSY);
        }
    }

    /** Runs {@code attempt} until it answers gone, under {@link #destroyRetry}; false when it never did. */
    private boolean untilGone(String subject, BooleanSupplier attempt) {
        if (Polling.until(destroyRetry, attempt)) {
            return true;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while waiting to destroy '" + subject + "' again");
        }
        return false;
    }

    /** Creates the filesystem and any missing parents ({@code zfs create -p}). */
    public void createDataset(DatasetName name) {
        run("create dataset", name.value(), List.of("zfs", "create", "-p", name.value()));
    }

    public boolean datasetExists(DatasetName name) {
        CommandResult result = runner.run(List.of("zfs", "list", "-H", "-o", "name", name.value()), timeout);
        if (result.succeeded()) {
            return true;
        }
        ZfsException failure = ZfsException.of("look up dataset", name.value(), result);
        if (failure.kind() == ZfsErrorKind.DATASET_MISSING) {
            return false;
        }
        throw failure;
    }

    /**
     * Destroys a filesystem without children or snapshots (no {@code -r}: anything below it is
     * refused, not swept away) and checks that it is gone. zfs-fuse reports a just-created clone
     * busy for a moment, so BUSY is retried, and a dataset still there after a destroy reported success
     * destroyed again: at most {@value #DESTROY_ATTEMPTS} destroys, {@link #DESTROY_PAUSES} apart. A missing
     * dataset fails with {@link ZfsErrorKind#DATASET_MISSING}.
     */
    public void destroyDataset(DatasetName name) {
        destroyUntilGone("destroy dataset", name, List.of("zfs", "destroy", name.value()));
    }

    /** Runs {@code destroy} until {@code name} is gone (BUSY and a lingering dataset tried again), or fails. */
    private void destroyUntilGone(String action, DatasetName name, List<String> destroy) {
        int[] attempt = {0};
        boolean gone = untilGone(name.value(), () -> {
            attempt[0]++;
            CommandResult result = runner.run(destroy, timeout);
            if (!result.succeeded()) {
                ZfsException failure = ZfsException.of(action, name.value(), result);
                boolean goneMeanwhile = attempt[0] > 1 && failure.kind() == ZfsErrorKind.DATASET_MISSING;
                if (!goneMeanwhile && (failure.kind() != ZfsErrorKind.BUSY || attempt[0] >= DESTROY_ATTEMPTS)) {
                    throw failure;
                }
            }
            return !datasetExists(name); // busy and still there: tried again
        });
        if (!gone) {
            throw new ZfsException(action, name.value(), destroy, 0,
                    "zfs reported success but the dataset still exists after " + attempt[0] + " attempts",
                    ZfsErrorKind.BUSY);
        }
    }

    /**
     * Rolls {@code snapshot}'s dataset back to it. Without {@code destroyNewer} zfs refuses when
     * newer snapshots exist: that fails with {@link ZfsErrorKind#NEWER_SNAPSHOTS_EXIST}, naming them.
     * With it, they are destroyed ({@code zfs rollback -r}).
     */
    public void rollback(SnapshotName snapshot, boolean destroyNewer) {
        List<String> command = destroyNewer
                ? List.of("zfs", "rollback", "-r", snapshot.full())
                : List.of("zfs", "rollback", snapshot.full());
        CommandResult result = runner.run(command, timeout);
        if (result.succeeded()) {
            return;
        }
        ZfsException failure = ZfsException.of("roll back to", snapshot.full(), result);
        if (failure.kind() != ZfsErrorKind.NEWER_SNAPSHOTS_EXIST) {
            throw failure;
        }
        // zfs lists them after its "use '-r' to force deletion of the following snapshots:" line
        List<String> newer = result.errorText().lines().map(String::strip)
                .filter(l -> !l.startsWith("cannot") && !l.startsWith("use ") && (l.contains("@") || l.contains("#")))
                .toList();
        throw new ZfsException("roll back to", snapshot.full(), command, result.exitCode(),
                "newer snapshots exist: " + (newer.isEmpty() ? "(zfs did not name them)" : String.join(", ", newer))
                        + "; use --destroy-newer to destroy them with the rollback\n" + result.errorText(),
                ZfsErrorKind.NEWER_SNAPSHOTS_EXIST);
    }

    /** {@code zfs clone -o mountpoint=MOUNTPOINT SNAPSHOT TARGET}; {@code target} must be in the snapshot's pool. */
    public void clone(SnapshotName snapshot, DatasetName target, Path mountpoint) {
        clone(snapshot, target, mountpoint, false);
    }

    /** As {@link #clone(SnapshotName, DatasetName, Path)}, with {@code readonly=on} when {@code readOnly}. */
    public void clone(SnapshotName snapshot, DatasetName target, Path mountpoint, boolean readOnly) {
        if (!mountpoint.isAbsolute()) {
            throw new IllegalArgumentException("clone mountpoint " + mountpoint + " is not absolute");
        }
        List<String> command = new ArrayList<>(List.of("zfs", "clone", "-o", "mountpoint=" + mountpoint));
        if (readOnly) {
            command.addAll(List.of("-o", "readonly=on"));
        }
        command.addAll(List.of(snapshot.full(), target.value()));
        run("clone " + snapshot.full() + " to", target.value(), command);
    }

    /**
     * {@code zfs rename FROM TO}, unmounting {@code from} first: zfs-fuse refuses to rename a mounted dataset and, for
     * a moment after an unmount, an unmounted one ("dataset is busy", checked by hand), so BUSY is tried again, at
     * most {@value #DESTROY_ATTEMPTS} times, {@link #DESTROY_PAUSES} apart. The renamed dataset stays unmounted.
     */
    public void rename(DatasetName from, DatasetName to) {
        unmount(from);
        List<String> rename = List.of("zfs", "rename", from.value(), to.value());
        int[] attempt = {0};
        Polling.until(destroyRetry, () -> {
            attempt[0]++;
            CommandResult result = runner.run(rename, timeout);
            if (result.succeeded()) {
                return true;
            }
            ZfsException failure = ZfsException.of("rename " + from + " to", to.value(), result);
            if (failure.kind() != ZfsErrorKind.BUSY || attempt[0] >= DESTROY_ATTEMPTS) {
                throw failure;
            }
            return false;
        });
    }

    /** {@code zfs unmount}; a dataset that is not mounted is left as it is. */
    public void unmount(DatasetName dataset) {
        CommandResult result = runner.run(List.of("zfs", "unmount", dataset.value()), timeout);
        if (!result.succeeded() && !result.errorText().contains("not currently mounted")) {
            throw ZfsException.of("unmount", dataset.value(), result);
        }
    }

    /** {@code zfs mount}; a dataset already mounted is left as it is. */
    public void mount(DatasetName dataset) {
        CommandResult result = runner.run(List.of("zfs", "mount", dataset.value()), timeout);
        if (!result.succeeded() && !result.errorText().contains("already mounted")) {
            throw ZfsException.of("mount", dataset.value(), result);
        }
    }

    /**
     * {@code zfs promote CLONE}: the clone takes over its origin's snapshots up to the origin, the former origin
     * dataset becomes a clone of it. (Not a service promotion: see {@link #promote(DatasetName, long)}.)
     */
    public void promoteClone(DatasetName clone) {
        run("promote the clone", clone.value(), List.of("zfs", "promote", clone.value()));
    }

    /** The snapshot {@code dataset} was cloned from; empty for a dataset that is no clone. */
    public Optional<SnapshotName> origin(DatasetName dataset) {
        String value = property(dataset, "origin").orElse("-");
        return value.contains("@") ? Optional.of(SnapshotName.parse(value)) : Optional.empty();
    }

    /** {@code zfs set NAME=VALUE} of one property (zfs-fuse sets one per call). */
    public void setProperty(DatasetName dataset, String name, String value) {
        run("set " + name + " on", dataset.value(), List.of("zfs", "set", name + "=" + value, dataset.value()));
    }

    /** {@code zfs inherit NAME}: the property comes from the parent again. */
    public void inheritProperty(DatasetName dataset, String name) {
        run("inherit " + name + " on", dataset.value(), List.of("zfs", "inherit", name, dataset.value()));
    }

    /** A property's value ({@code zfs get -H -p}); empty when zfs shows {@code -} (not set). */
    public Optional<String> property(DatasetName dataset, String name) {
        return read("read " + name + " of", dataset.value(),
                List.of("zfs", "get", "-H", "-p", "-o", "value", name, dataset.value()), out -> {
                    String value = out.strip();
                    return value.isEmpty() || value.equals("-") ? Optional.<String>empty() : Optional.of(value);
                });
    }

    /**
     * Destroys {@code dataset} with its snapshots ({@code zfs destroy -r}; never {@code -R}: a clone of one of them
     * elsewhere refuses it), unmounted first, and checks it is gone; BUSY and a dataset still there after a reported
     * success are tried again, as {@link #destroyDataset}.
     */
    public void destroyRecursively(DatasetName dataset) {
        unmount(dataset);
        destroyUntilGone("destroy recursively", dataset, List.of("zfs", "destroy", "-r", dataset.value()));
    }

    /** {@code zfs clone -o readonly=on SNAPSHOT TARGET}: read-only, mounted where {@code target} inherits. */
    public void cloneInPlace(SnapshotName snapshot, DatasetName target) {
        run("clone " + snapshot.full() + " to", target.value(),
                List.of("zfs", "clone", "-o", "readonly=on", snapshot.full(), target.value()));
    }

    /** Where the dataset mounts; empty for {@code none}, {@code legacy} and volumes. */
    public Optional<Path> mountpoint(DatasetName dataset) {
        return read("read the mountpoint of", dataset.value(),
                List.of("zfs", "get", "-H", "-p", "-o", "value", "mountpoint", dataset.value()), out -> {
                    String value = out.strip();
                    if (value.startsWith("/")) {
                        return Optional.of(Path.of(value));
                    }
                    if (value.equals("none") || value.equals("legacy") || value.equals("-")) {
                        return Optional.<Path>empty();
                    }
                    throw new ZfsOutputFormatException("zfs get mountpoint", value,
                            "expected an absolute path, none, legacy or -");
                });
    }

    /**
     * The snapshot's {@code .zfs/snapshot/<name>} directory when this zfs has one and the dataset
     * is mounted (on OpenZFS looking at it mounts it); empty otherwise.
     */
    public Optional<Path> snapshotDirectory(SnapshotName snapshot) {
        if (!features.snapshotDirectory()) {
            return Optional.empty();
        }
        return mountpoint(snapshot.dataset())
                .map(m -> m.resolve(".zfs").resolve("snapshot").resolve(snapshot.shortName()))
                .filter(Files::isDirectory);
    }

    /**
     * Makes {@code snapshot}'s files readable without writing to its dataset: in place under
     * {@code .zfs/snapshot} where that exists, else as a read-only clone
     * {@code <pool>/zsentinel-restore-<random>} mounted below {@code cloneMountParent}, which
     * {@link SnapshotMount#close()} destroys (a failed clone is destroyed at once).
     */
    public SnapshotMount mountSnapshot(SnapshotName snapshot, Path cloneMountParent) {
        Optional<Path> inPlace = snapshotDirectory(snapshot);
        if (inPlace.isPresent()) {
            return SnapshotMount.inPlace(snapshot, inPlace.get());
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        DatasetName clone = new DatasetName(snapshot.dataset().pool().value()).child(RESTORE_CLONE_PREFIX + id);
        Path mountpoint = cloneMountParent.toAbsolutePath().resolve(RESTORE_CLONE_PREFIX + id);
        Runnable destroy = () -> {
            if (datasetExists(clone)) {
                destroyDataset(clone);
            }
            removeEmptyDirectory(mountpoint); // zfs leaves the mountpoint directory behind
        };
        try {
            clone(snapshot, clone, mountpoint, true);
        } catch (RuntimeException e) {
            try {
                destroy.run(); // a clone that was created but not mounted must not linger
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return SnapshotMount.temporaryClone(snapshot, mountpoint, clone, destroy);
    }

    /** True for the temporary clones {@link #mountSnapshot} creates (they are not inventory). */
    public static boolean isRestoreClone(DatasetName dataset) {
        String value = dataset.value();
        return value.substring(value.lastIndexOf('/') + 1).startsWith(RESTORE_CLONE_PREFIX);
    }

    public List<PoolEntry> listPools() {
        List<String> command = new ArrayList<>(List.of("zpool", "list", "-H"));
        if (features.parsablePoolList()) {
            command.add("-p");
        }
        command.addAll(List.of("-o", PoolListParser.COLUMNS));
        return read("list pools", "all pools", command, PoolListParser::parse);
    }

    /** {@code zpool status POOL}; a status of another pool, or without its config, is unreadable. */
    public PoolStatus poolStatus(PoolName pool) {
        List<String> command = List.of("zpool", "status", pool.value());
        PoolStatus status = read("read the status of pool", pool.value(), command, PoolStatusParser::parse);
        if (!status.pool().equals(pool)) {
            throw new ZfsOutputFormatException("zpool status", "pool: " + status.pool().value(),
                    "the status is of another pool").of(command, pool.value());
        }
        return status;
    }

    /** Starts a scrub; it runs in the background (follow it with {@link #poolStatus}). */
    public void scrub(PoolName pool) {
        run("start a scrub of pool", pool.value(), List.of("zpool", "scrub", pool.value()));
    }

    public void hold(String tag, SnapshotName snapshot) {
        List<String> command = List.of("zfs", "hold", checkedTag(tag), snapshot.full());
        requireFeature(features.userHolds(), "hold", snapshot, command);
        run("place hold '" + tag + "' on", snapshot.full(), command);
    }

    public void release(String tag, SnapshotName snapshot) {
        List<String> command = List.of("zfs", "release", checkedTag(tag), snapshot.full());
        requireFeature(features.userHolds(), "release", snapshot, command);
        run("release hold '" + tag + "' on", snapshot.full(), command);
    }

    /** The hold tags on a snapshot ({@code zfs holds}; OpenZFS only). */
    public Set<String> holds(SnapshotName snapshot) {
        List<String> command = List.of("zfs", "holds", "-H", snapshot.full());
        requireFeature(features.holdListing(), "list holds", snapshot, command);
        return read("list holds on", snapshot.full(), command, HoldsParser::parse);
    }

    /** How many holds a snapshot has (the {@code userrefs} property): works where tags cannot be listed. */
    public long userRefs(SnapshotName snapshot) {
        List<String> command = List.of("zfs", "get", "-H", "-p", "-o", "value", "userrefs", snapshot.full());
        requireFeature(features.userHolds(), "count holds", snapshot, command);
        return read("count holds on", snapshot.full(), command, out -> {
            String value = out.strip();
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ZfsOutputFormatException("zfs get userrefs", value, e);
            }
        });
    }

    /**
     * The {@code zfs send} argument list for {@code spec} (the caller runs it as a streaming process).
     * A resume token needs {@link ZfsFeatures#resumeTokens()}: refused as UNSUPPORTED otherwise.
     */
    public List<String> sendCommand(SendSpec spec) {
        List<String> argv = spec.argv();
        if (spec.resumeToken() != null && !features.resumeTokens()) {
            throw ZfsException.unsupported("resume a send of", String.valueOf(spec.snapshot()), argv,
                    "this zfs has no resumable streams (zfs-fuse); send from the common snapshot again");
        }
        return argv;
    }

    /** The {@code zfs receive} argument list for {@code spec} on a zfs with this driver's features. */
    public List<String> receiveCommand(ReceiveSpec spec) {
        return spec.argv(features);
    }

    /**
     * Makes {@code dataset} a read-only replica of {@code source} ({@code server:dataset}) after a receive, for a zfs
     * without {@code receive -o}: {@code readonly=on}, then the {@value ReceiveSpec#REPLICA_PROPERTY} user property,
     * one {@code zfs set} each (zfs-fuse sets one property per call). Idempotent; never read back to decide anything,
     * since zfs-fuse shows a mounted read-only dataset as {@code readonly off (temporary)} while refusing its writes.
     */
    public void keepReplicaReadOnly(DatasetName dataset, String source) {
        String marker = ReceiveSpec.REPLICA_PROPERTY + "=" + ReceiveSpec.checkedSource(source);
        run("set readonly=on on", dataset.value(), List.of("zfs", "set", "readonly=on", dataset.value()));
        run("mark as a replica", dataset.value(), List.of("zfs", "set", marker, dataset.value()));
    }

    /** The dataset's service role ({@link DatasetRole}); {@link DatasetRole#NONE} when it never had one. */
    public DatasetRole role(DatasetName dataset) {
        String properties = DatasetRole.GENERATION + "," + DatasetRole.ROLE;
        return read("read the service role of", dataset.value(),
                List.of("zfs", "get", "-H", "-p", "-o", "property,value", properties, dataset.value()), out -> {
                    long generation = 0;
                    boolean primary = false;
                    for (String line : out.split("\n")) {
                        String[] cells = line.split("\t", -1);
                        if (cells.length != 2) {
                            continue;
                        }
                        String value = cells[1].strip();
                        if (cells[0].equals(DatasetRole.GENERATION) && !value.equals("-")) {
                            try {
                                generation = Long.parseLong(value);
                            } catch (NumberFormatException e) {
                                throw new ZfsOutputFormatException("zfs get " + DatasetRole.GENERATION, value, e);
                            }
                        } else if (cells[0].equals(DatasetRole.ROLE)) {
                            primary = value.equals(DatasetRole.PRIMARY);
                        }
                    }
                    return new DatasetRole(generation, primary);
                });
    }

    /**
     * Makes {@code dataset} the writable primary at {@code generation}: the generation and the role first (the
     * fencing token is in place before any write can happen), then {@code readonly=off}, then mounted if it is not.
     * One {@code zfs set} each (zfs-fuse sets one property per call). Idempotent.
     */
    public void promote(DatasetName dataset, long generation) {
        recordGeneration(dataset, generation);
        run("mark as primary", dataset.value(), List.of("zfs", "set", DatasetRole.ROLE + "=" + DatasetRole.PRIMARY,
                dataset.value()));
        run("set readonly=off on", dataset.value(), List.of("zfs", "set", "readonly=off", dataset.value()));
        CommandResult mounted = runner.run(List.of("zfs", "mount", dataset.value()), timeout);
        if (!mounted.succeeded() && !mounted.errorText().contains("already mounted")) {
            throw ZfsException.of("mount", dataset.value(), mounted);
        }
    }

    /**
     * {@link #promote(DatasetName, long)} for {@code service}, recorded on the dataset ({@value DatasetRole#SERVICE})
     * first: an agent that later stands the dataset down on its own names the service when it reports it.
     */
    public void promote(DatasetName dataset, long generation, String service) {
        run("record the service of", dataset.value(), List.of("zfs", "set",
                DatasetRole.SERVICE + "=" + StoodDown.checkedService(service), dataset.value()));
        promote(dataset, generation);
    }

    /**
     * Makes a primary read-only on its agent's own decision (its lease ran out): {@code readonly=on} first, then the
     * role {@value DatasetRole#STOOD_DOWN}; the generation stays. A replica to everything that reads the role, and
     * listed by {@link #stoodDown} until a promotion or demotion sets the role again. Idempotent.
     */
    public void standDown(DatasetName dataset) {
        run("set readonly=on on", dataset.value(), List.of("zfs", "set", "readonly=on", dataset.value()));
        run("mark as stood down", dataset.value(), List.of("zfs", "set",
                DatasetRole.ROLE + "=" + DatasetRole.STOOD_DOWN, dataset.value()));
    }

    /**
     * The datasets of {@code pool} that stand down ({@link #standDown}), with their generation and the service they
     * were promoted for: one process, values set on each dataset only (a child inherits no role).
     */
    public List<StoodDown> stoodDown(PoolName pool) {
        String properties = DatasetRole.ROLE + "," + DatasetRole.GENERATION + "," + DatasetRole.SERVICE;
        return read("list the stood-down datasets of", pool.value(), List.of("zfs", "get", "-H", "-p", "-r", "-s", "local",
                "-o", "name,property,value", properties, pool.value()), StoodDown::parse);
    }

    /**
     * Records {@code generation} on {@code dataset} ({@value DatasetRole#GENERATION}) and nothing else: its role stays.
     * Also what a receive from a failover's new primary leaves on its target, so that older orders are refused there.
     */
    public void recordGeneration(DatasetName dataset, long generation) {
        run("record the generation of", dataset.value(),
                List.of("zfs", "set", DatasetRole.GENERATION + "=" + generation, dataset.value()));
    }

    /**
     * Makes {@code dataset} a read-only replica at {@code generation}: {@code readonly=on} first (writes stop before
     * anything else), then the role and the generation. Idempotent.
     */
    public void demote(DatasetName dataset, long generation) {
        run("set readonly=on on", dataset.value(), List.of("zfs", "set", "readonly=on", dataset.value()));
        run("mark as replica", dataset.value(), List.of("zfs", "set", DatasetRole.ROLE + "=" + DatasetRole.REPLICA,
                dataset.value()));
        recordGeneration(dataset, generation);
    }

    /**
     * The target's {@code receive_resume_token} after an interrupted {@code receive -s}; empty where this
     * zfs keeps no partial state (zfs-fuse) or none is there.
     */
    public Optional<String> receiveResumeToken(DatasetName target) {
        if (!features.resumeTokens()) {
            return Optional.empty();
        }
        CommandResult result = runner.run(List.of("zfs", "get", "-H", "-p", "-o", "value", "receive_resume_token",
                target.value()), timeout);
        if (!result.succeeded()) {
            ZfsException failure = ZfsException.of("read the resume token of", target.value(), result);
            if (failure.kind() == ZfsErrorKind.DATASET_MISSING) {
                return Optional.empty();
            }
            throw failure;
        }
        String token = result.stdout().strip();
        return token.isEmpty() || token.equals("-") ? Optional.empty() : Optional.of(token);
    }

    /** The snapshot's guid as this host's zfs reports it ({@code zfs get -H -p -o value guid}). */
    public io.zsentinel.core.values.Guid snapshotGuid(SnapshotName snapshot) {
        return guid(snapshot.full());
    }

    /** The guid of the snapshot the bookmark was made from. */
    public io.zsentinel.core.values.Guid bookmarkGuid(BookmarkName bookmark) {
        return guid(bookmark.full());
    }

    private io.zsentinel.core.values.Guid guid(String name) {
        return read("read the guid of", name, List.of("zfs", "get", "-H", "-p", "-o", "value", "guid", name), out -> {
            String value = out.strip();
            try {
                return io.zsentinel.core.values.Guid.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ZfsOutputFormatException("zfs get guid", value, e);
            }
        });
    }

    /**
     * Runs {@code command} and reads its output with {@code parser}; output the parser cannot read fails naming the
     * command and {@code subject}.
     */
    private <T> T read(String action, String subject, List<String> command, Function<String, T> parser) {
        String stdout = run(action, subject, command).stdout();
        try {
            return parser.apply(stdout);
        } catch (ZfsOutputFormatException e) {
            throw e.of(command, subject);
        }
    }

    /** {@code entries} when every one is at or below {@code root}: a recursive listing names nothing else. */
    private static <T> List<T> below(DatasetName root, List<T> entries, Function<T, DatasetName> dataset,
                                     Function<T, String> name) {
        for (T entry : entries) {
            if (!root.contains(dataset.apply(entry))) {
                throw new ZfsOutputFormatException("listing", name.apply(entry), "not at or below " + root);
            }
        }
        return entries;
    }

    private CommandResult run(String action, String subject, List<String> command) {
        CommandResult result = runner.run(command, timeout);
        if (!result.succeeded()) {
            throw ZfsException.of(action, subject, result);
        }
        return result;
    }

    private static void requireFeature(boolean present, String action, SnapshotName snapshot, List<String> command) {
        if (!present) {
            throw ZfsException.unsupported(action, snapshot.full(), command,
                    "this zfs has no '" + command.get(1) + "' (zfs-fuse or a pre-0.6 ZFS)");
        }
    }

    /** Hold tags reach the argument list unquoted: keep them printable and not option-like. */
    private static String checkedTag(String tag) {
        if (tag == null || tag.isEmpty() || tag.startsWith("-") || tag.length() > 200
                || !tag.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("invalid hold tag \"" + tag
                    + "\": use 1 to 200 printable ASCII characters without spaces, not starting with '-'");
        }
        return tag;
    }

    private static void removeEmptyDirectory(Path directory) {
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // not empty (then not ours to delete) or already gone: nothing to clean up
        }
    }
}
