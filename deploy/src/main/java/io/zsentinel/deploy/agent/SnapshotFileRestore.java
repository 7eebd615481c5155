package io.zsentinel.deploy.agent;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.DatasetEntry;
import io.zsentinel.core.zfs.SnapshotMount;
import io.zsentinel.core.zfs.ZfsDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Copies one file or directory tree out of a snapshot into a restore directory; the live dataset is
 * never written. The snapshot is read in place ({@code .zfs/snapshot}) or through a temporary
 * read-only clone that is destroyed afterwards, also on failure (see {@link ZfsDriver#mountSnapshot}).
 * <p>
 * Decisions: the requested path may pass through symbolic links that stay inside the snapshot; one
 * that leads outside is refused. Inside a copied tree, symbolic links are recreated verbatim as
 * links and never followed (a faithful restore that cannot read or write outside the snapshot);
 * devices, sockets and fifos are skipped and named in the result. Nothing is ever overwritten: an
 * existing destination refuses the restore, and files are created exclusively.
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
        Path destination = destination(snapshot, relative, targetDirectory);
        if (Files.exists(destination, NOFOLLOW)) {
            throw new RestoreRefused("restore of '" + path + "' from " + snapshot + " refused: " + destination
                    + " already exists and is never overwritten; move it away, or name another target directory");
        }
        try {
            Files.createDirectories(cloneMounts(), PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private mount directory " + cloneMounts(), e);
        }
        try (SnapshotMount mount = zfs.mountSnapshot(snapshot, cloneMounts())) {
            Path source = resolveInside(mount.root(), relative, snapshot, path);
            return copy(source, destination, mount.clone().isEmpty());
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

    private Path destination(SnapshotName snapshot, Path relative, String targetDirectory) {
        Path base;
        if (targetDirectory == null || targetDirectory.isEmpty()) {
            base = restoreDirectory;
        } else if (!targetDirectory.startsWith("/") || targetDirectory.indexOf('\0') >= 0) {
            throw new RestoreRefused("restore from " + snapshot + " refused: target directory '"
                    + printable(targetDirectory) + "' is not an absolute path; give one such as /srv/restore");
        } else {
            base = Path.of(targetDirectory).normalize();
        }
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

    private static Result copy(Path source, Path destination, boolean readInPlace) {
        Tree tree = new Tree(source, destination);
        try {
            Files.createDirectories(destination.getParent(), PosixFilePermissions.asFileAttribute(PRIVATE));
            if (Files.isDirectory(source, NOFOLLOW)) {
                Files.walkFileTree(source, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, tree);
            } else {
                tree.visitFile(source, Files.readAttributes(source, BasicFileAttributes.class, NOFOLLOW));
            }
        } catch (IOException | RuntimeException e) {
            boolean raced = e instanceof FileAlreadyExistsException;
            if (!raced) {
                removePartial(destination);
            }
            throw new RestoreRefused("restore to " + destination + " failed after " + tree.bytes + " bytes: " + e
                    + (raced ? "; something else created it meanwhile, nothing was overwritten"
                    : "; the partial copy was removed; check space and permissions of the target directory, then retry"), e);
        }
        return new Result(destination, tree.bytes, tree.files, tree.directories, tree.symlinks, List.copyOf(tree.skipped),
                readInPlace);
    }

    /** Only ever called on a destination that did not exist before this restore. */
    private static void removePartial(Path destination) {
        if (!Files.exists(destination, NOFOLLOW)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(destination)) { // walk does not follow links
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the failure message names the destination
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort, as above
        }
    }

    private static String printable(String s) {
        return s == null ? "" : s.replace('\0', '?');
    }

    /** Copies what it visits; never follows links, never replaces anything. */
    private static final class Tree extends SimpleFileVisitor<Path> {
        private final Path source;
        private final Path destination;
        private final List<String> skipped = new ArrayList<>();
        private long bytes;
        private int files;
        private int directories;
        private int symlinks;

        Tree(Path source, Path destination) {
            this.source = source;
            this.destination = destination;
        }

        private Path target(Path path) {
            return destination.resolve(source.relativize(path).toString());
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            Files.createDirectory(target(dir), PosixFilePermissions.asFileAttribute(PRIVATE));
            directories++;
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
            if (failure != null) {
                throw failure;
            }
            // mode, owner and time last: creating the children would have changed the time again
            copyPosixAttributes(dir, target(dir));
            Files.setLastModifiedTime(target(dir), Files.getLastModifiedTime(dir, NOFOLLOW));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Path target = target(file);
            if (attrs.isSymbolicLink()) {
                Files.createSymbolicLink(target, Files.readSymbolicLink(file)); // verbatim, never followed
                symlinks++;
            } else if (attrs.isRegularFile()) {
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                bytes += attrs.size();
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

        private static void copyPosixAttributes(Path from, Path to) throws IOException {
            PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class, NOFOLLOW);
            PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class, NOFOLLOW);
            view.setPermissions(a.permissions());
            try {
                view.setOwner(a.owner());
                view.setGroup(a.group());
            } catch (IOException notRoot) {
                // an unprivileged agent keeps its own ownership; the mode is still copied
            }
        }
    }
}
