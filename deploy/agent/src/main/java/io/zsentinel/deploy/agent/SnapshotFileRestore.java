package io.zsentinel.deploy.agent;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.DatasetEntry;
import io.zsentinel.core.zfs.SnapshotMount;
import io.zsentinel.core.zfs.ZfsDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Copies one file or directory tree out of a snapshot into a restore directory; the live dataset is
 * never written. The snapshot is read in place ({@code .zfs/snapshot}) or through a temporary
 * read-only clone that is destroyed afterwards, also on failure (see {@link ZfsDriver#mountSnapshot}).
 * <p>
 * Decisions. In the snapshot: the requested path may pass through symbolic links that stay inside the
 * snapshot; one that leads outside is refused. Inside a copied tree, symbolic links are recreated verbatim
 * as links and never followed (a faithful restore that cannot read or write outside the snapshot);
 * devices, sockets and fifos are skipped and named in the result. At the destination (the agent runs as
 * root, the target directory may be writable by others): no name on the way from {@code /} may be a
 * symbolic link, and below the target directory the restore writes only into directories the agent made
 * and no one else can change; everything is created relative to directories held open, without following
 * links ({@link NoFollowDirectory}). Nothing is ever overwritten: an existing destination refuses the
 * restore, and files are created exclusively.
 */
final class SnapshotFileRestore {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** What a restore did. {@code readInPlace}: read from {@code .zfs/snapshot}, no clone was made. */
    record Result(Path destination, long bytes, int files, int directories, int symlinks, List<String> skipped,
                  boolean readInPlace) {
        String describe() {
            return files + (files == 1 ? " file, " : " files, ") + directories
                    + (directories == 1 ? " directory, " : " directories, ") + symlinks
                    + (symlinks == 1 ? " symbolic link" : " symbolic links") + " (copied as links), " + bytes + " bytes"
                    + (skipped.isEmpty() ? "" : "; skipped special files: " + String.join(", ", skipped));
        }
    }

    /** A restore refused before or while copying; the message is written for the operator. */
    static final class RestoreRefused extends RuntimeException {
        RestoreRefused(String message) {
            super(message);
        }

        RestoreRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ZfsDriver zfs;
    private final Path restoreDirectory;
    private final UserPrincipal agent = NoFollowDirectory.agentUser();

    SnapshotFileRestore(ZfsDriver zfs, Path restoreDirectory) {
        if (!restoreDirectory.isAbsolute()) {
            throw new IllegalArgumentException("restore directory " + restoreDirectory + " is not absolute");
        }
        this.zfs = zfs;
        this.restoreDirectory = restoreDirectory.normalize();
    }

    /** Where temporary clones mount: below the restore directory, readable by root only. */
    Path cloneMounts() {
        return restoreDirectory.resolve(".snapshot-mounts");
    }

    /**
     * Copies {@code path} (relative to the dataset root; "." for all of it) from {@code snapshot}
     * to {@code <targetDirectory or restore directory>/<dataset with / as _>/<snapshot>/<path>}.
     */
    Result restore(SnapshotName snapshot, String path, String targetDirectory) {
        Path relative = checkedRelative(snapshot, path);
        Path base = base(snapshot, targetDirectory);
        Path destination = destination(base, snapshot, relative);
        try {
            Files.createDirectories(cloneMounts(), PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private mount directory " + cloneMounts(), e);
        }
        try (SnapshotMount mount = zfs.mountSnapshot(snapshot, cloneMounts())) {
            Path source = resolveInside(mount.root(), relative, snapshot, path);
            return copy(source, base, destination, mount.clone().isEmpty(),
                    "restore of '" + printable(path) + "' from " + snapshot + " refused: ");
        }
    }

    /**
     * Destroys temporary clones an earlier agent process left behind in {@code pool} (it was killed
     * mid-restore). Only this agent creates them, and it restores one thing at a time.
     */
    List<DatasetName> removeLeftoverClones(PoolName pool) {
        List<DatasetName> removed = new ArrayList<>();
        for (DatasetEntry dataset : zfs.listDatasets(new DatasetName(pool.value()))) {
            if (ZfsDriver.isRestoreClone(dataset.name())) {
                zfs.destroyDataset(dataset.name());
                dataset.mountpoint().ifPresent(m -> {
                    try {
                        Files.deleteIfExists(Path.of(m));
                    } catch (IOException ignored) {
                        // not empty or already gone: not ours to remove
                    }
                });
                removed.add(dataset.name());
            }
        }
        return removed;
    }

    /** Refuses absolute paths, '..' components and NUL before anything is mounted. */
    static Path checkedRelative(SnapshotName snapshot, String path) {
        String refused = "restore of '" + printable(path) + "' from " + snapshot + " refused: ";
        if (path == null || path.isEmpty()) {
            throw new RestoreRefused(refused + "no path given; name a file or directory relative to the dataset's "
                    + "root, or '.' for all of it");
        }
        if (path.indexOf('\0') >= 0) {
            throw new RestoreRefused(refused + "the path contains a NUL character");
        }
        if (path.startsWith("/")) {
            throw new RestoreRefused(refused + "the path is absolute; give it relative to the root of " + snapshot.dataset()
                    + " (e.g. 'home/alice/report.txt', not '/home/alice/report.txt')");
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                throw new RestoreRefused(refused + "the path has a '..' component; only paths inside the snapshot "
                        + "are restored, give it without '..'");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? Path.of("") : Path.of(parts.get(0), parts.subList(1, parts.size()).toArray(String[]::new));
    }

    private Path base(SnapshotName snapshot, String targetDirectory) {
        if (targetDirectory == null || targetDirectory.isEmpty()) {
            return restoreDirectory;
        }
        if (!targetDirectory.startsWith("/") || targetDirectory.indexOf('\0') >= 0) {
            throw new RestoreRefused("restore from " + snapshot + " refused: target directory '"
                    + printable(targetDirectory) + "' is not an absolute path; give one such as /srv/restore");
        }
        return Path.of(targetDirectory).normalize();
    }

    private static Path destination(Path base, SnapshotName snapshot, Path relative) {
        Path snapshotDir = base.resolve(snapshot.dataset().value().replace('/', '_')).resolve(snapshot.shortName());
        Path destination = snapshotDir.resolve(relative).normalize();
        if (!destination.startsWith(snapshotDir)) {
            throw new IllegalStateException("destination " + destination + " left " + snapshotDir); // checked above
        }
        return destination;
    }

    /**
     * Walks the path one component at a time and follows a symbolic link only when where it leads
     * (fully resolved) is still inside the snapshot; the message names the link that leaves it.
     */
    private static Path resolveInside(Path mountRoot, Path relative, SnapshotName snapshot, String path) {
        String refused = "restore of '" + path + "' from " + snapshot + " refused: ";
        try {
            Path root = mountRoot.toRealPath();
            Path current = root;
            for (Path component : relative) {
                Path next = current.resolve(component.toString());
                if (!Files.exists(next, NOFOLLOW)) {
                    throw new RestoreRefused(refused + "there is no such file or directory in the snapshot ('"
                            + root.relativize(next) + "' is missing); check the path (relative to the root of "
                            + snapshot.dataset() + ") and the snapshot");
                }
                if (Files.isSymbolicLink(next)) {
                    String link = root.relativize(next) + " -> " + Files.readSymbolicLink(next);
                    try {
                        next = next.toRealPath();
                    } catch (NoSuchFileException e) {
                        throw new RestoreRefused(refused + "the symbolic link '" + link + "' leads nowhere inside the "
                                + "snapshot and is not followed out of it; restore the directory that holds it instead");
                    }
                    if (!next.startsWith(root)) {
                        throw new RestoreRefused(refused + "the symbolic link '" + link + "' leads to " + next
                                + ", outside the snapshot; only files inside the snapshot are restored");
                    }
                }
                current = next;
            }
            return current;
        } catch (IOException e) {
            throw new RestoreRefused(refused + "cannot read it in the snapshot: " + e, e);
        }
    }

    /**
     * Opens the destination's directory from {@code /} without following links (making what is missing),
     * then copies into it by names relative to open directories only, see {@link NoFollowDirectory}.
     */
    private Result copy(Path source, Path base, Path destination, boolean readInPlace, String refused) {
        NoFollowDirectory parent;
        try {
            parent = NoFollowDirectory.reach(destination.getParent(), base, agent);
        } catch (NoFollowDirectory.LinkInTheWay e) {
            throw new RestoreRefused(refused + e.getMessage() + "; a restore never writes through a link it did not "
                    + "create: remove the link, or name another target directory (its real path, without links)", e);
        } catch (NoFollowDirectory.NotTheAgents e) {
            throw new RestoreRefused(refused + e.getMessage() + "; below the target directory a restore writes only "
                    + "into directories the agent made and no one else can change: move it away, or name another "
                    + "target directory", e);
        } catch (IOException e) {
            throw new RestoreRefused(refused + "cannot make or open " + destination.getParent() + ": " + e
                    + "; check the target directory's permissions and space, then retry", e);
        }
        String name = destination.getFileName().toString();
        Tree tree = new Tree(source, parent, name, agent);
        try (parent) {
            if (parent.attributes(name).isPresent()) {
                throw new RestoreRefused(refused + destination + " already exists and is never overwritten; move it "
                        + "away, or name another target directory");
            }
            try {
                if (Files.isDirectory(source, NOFOLLOW)) {
                    Files.walkFileTree(source, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, tree);
                } else {
                    tree.visitFile(source, Files.readAttributes(source, BasicFileAttributes.class, NOFOLLOW));
                }
            } catch (IOException | RuntimeException e) {
                tree.closeOpen();
                if (tree.createdTop) {
                    removePartial(parent, name);
                }
                throw new RestoreRefused("restore to " + destination + " failed after " + tree.bytes + " bytes: " + e
                        + (tree.createdTop ? "; the partial copy was removed; check space and permissions of the target "
                        + "directory, then retry" : e instanceof FileAlreadyExistsException
                        ? "; something else created it meanwhile, nothing was overwritten"
                        : "; nothing was written; check space and permissions of the target directory, then retry"), e);
            }
        } catch (IOException e) {
            throw new RestoreRefused(refused + "cannot read " + destination.getParent() + ": " + e, e);
        }
        return new Result(destination, tree.bytes, tree.files, tree.directories, tree.symlinks, List.copyOf(tree.skipped),
                readInPlace);
    }

    /** Only ever called for what this restore created. */
    private static void removePartial(NoFollowDirectory parent, String name) {
        try {
            parent.remove(name);
        } catch (IOException | RuntimeException ignored) {
            // best effort: the failure message names the destination
        }
    }

    private static String printable(String s) {
        return s == null ? "" : s.replace('\0', '?');
    }

    /**
     * Copies what it visits into directories it made and holds open; never follows links, never replaces
     * anything. Modes, owners and times are set after the content (a directory's once its children are in).
     */
    private static final class Tree extends SimpleFileVisitor<Path> {
        private final Path source;
        private final NoFollowDirectory parent;
        private final String topName;
        private final UserPrincipal agent;
        private final Deque<NoFollowDirectory> open = new ArrayDeque<>();
        private final List<String> skipped = new ArrayList<>();
        private boolean createdTop;
        private long bytes;
        private int files;
        private int directories;
        private int symlinks;

        Tree(Path source, NoFollowDirectory parent, String topName, UserPrincipal agent) {
            this.source = source;
            this.parent = parent;
            this.topName = topName;
            this.agent = agent;
        }

        private String name(Path path) {
            return path.equals(source) ? topName : path.getFileName().toString();
        }

        private NoFollowDirectory filling() {
            return open.isEmpty() ? parent : open.peek();
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            open.push(filling().directory(name(dir), true));
            createdTop = true;
            directories++;
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
            if (failure != null) {
                throw failure;
            }
            try (NoFollowDirectory done = open.pop()) {
                done.copyAttributes(null, Files.readAttributes(dir, PosixFileAttributes.class, NOFOLLOW));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String name = name(file);
            if (attrs.isSymbolicLink()) {
                filling().createLink(name, Files.readSymbolicLink(file), agent); // verbatim, never followed
                createdTop = true;
                symlinks++;
            } else if (attrs.isRegularFile()) {
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, NOFOLLOW);
                     FileChannel out = filling().createFile(name)) {
                    createdTop = true;
                    long size = in.size();
                    for (long position = 0; position < size; ) {
                        long moved = in.transferTo(position, size - position, out);
                        if (moved <= 0) {
                            throw new IOException("copying " + file + " stopped at byte " + position + " of " + size);
                        }
                        position += moved;
                        bytes += moved;
                    }
                }
                filling().copyAttributes(name, Files.readAttributes(file, PosixFileAttributes.class, NOFOLLOW));
                files++;
            } else {
                skipped.add(source.relativize(file).toString());
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
            throw failure;
        }

        void closeOpen() {
            while (!open.isEmpty()) {
                try {
                    open.pop().close();
                } catch (IOException ignored) {
                    // closing a directory stream: nothing to lose
                }
            }
        }
    }
}
