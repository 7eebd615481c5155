package io.zsentinel.deploy.agent;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A directory held open ({@link SecureDirectoryStream}: every call is relative to its descriptor) that was
 * reached from {@code /} one name at a time without following a symbolic link, so that a link swapped in
 * after a check cannot redirect what is done in it. Files are created in it exclusively and without
 * following links ({@code O_CREAT|O_EXCL|O_NOFOLLOW}): a link or a file in the way refuses, never is written
 * through or replaced. Java has no {@code mkdirat} or {@code symlinkat}: a directory or link is made by
 * path, then looked up relative to this descriptor and must be there, the agent's own; a link swapped in
 * during that instant can at worst receive an empty directory or a link, never a file's content.
 */
final class NoFollowDirectory implements Closeable {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** A symbolic link where the way to a destination must be a directory. */
    static final class LinkInTheWay extends IOException {
        final Path link;

        LinkInTheWay(Path link) {
            super(link + " is a symbolic link (to " + target(link) + ")");
            this.link = link;
        }

        private static String target(Path link) {
            try {
                return Files.readSymbolicLink(link).toString();
            } catch (IOException | UnsupportedOperationException e) {
                return "somewhere unreadable";
            }
        }
    }

    /** An existing directory below the target directory that someone else made, or may change. */
    static final class NotTheAgents extends IOException {
        NotTheAgents(String why) {
            super(why);
        }
    }

    private final SecureDirectoryStream<Path> stream;
    private final Path path;

    private NoFollowDirectory(SecureDirectoryStream<Path> stream, Path path) {
        this.stream = stream;
        this.path = path;
    }

    /** The user the agent runs as: the owner of its own /proc entry. */
    static UserPrincipal agentUser() {
        try {
            return Files.getOwner(Path.of("/proc/self"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell which user this process runs as (/proc/self)", e);
        }
    }

    /**
     * Opens {@code directory} (absolute, normalized), making the missing directories on the way (private to
     * the agent). No name on the way may be a symbolic link; those below {@code ownedBelow} that exist
     * must belong to {@code agent} (made by an earlier restore), so that no one else can swap what is in them.
     */
    static NoFollowDirectory reach(Path directory, Path ownedBelow, UserPrincipal agent) throws IOException {
        if (!directory.isAbsolute() || !directory.equals(directory.normalize())) {
            throw new IllegalArgumentException(directory + " is not an absolute, normalized path");
        }
        NoFollowDirectory current = root();
        try {
            for (Path name : directory) {
                NoFollowDirectory next = current.directory(name.toString(), false);
                current.close();
                current = next;
                if (current.path.startsWith(ownedBelow) && !current.path.equals(ownedBelow)) {
                    current.requireOwner(agent);
                }
            }
            return current;
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    private static NoFollowDirectory root() throws IOException {
        Path root = Path.of("/");
        DirectoryStream<Path> stream = Files.newDirectoryStream(root);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return new NoFollowDirectory(secure, root);
        }
        stream.close();
        throw new IOException("this platform cannot open directories without following links (no SecureDirectoryStream)");
    }

    Path path() {
        return path;
    }

    /**
     * The sub-directory {@code name}, opened without following a link. Made (private to the agent) when
     * missing; with {@code mustBeNew} it must not exist yet ({@link FileAlreadyExistsException}).
     */
    NoFollowDirectory directory(String name, boolean mustBeNew) throws IOException {
        Path child = path.resolve(name);
        Optional<BasicFileAttributes> existing = attributes(name);
        if (existing.isPresent() && existing.get().isSymbolicLink()) {
            throw new LinkInTheWay(child);
        }
        if (existing.isPresent() && mustBeNew) {
            throw new FileAlreadyExistsException(child.toString());
        }
        if (existing.isEmpty()) {
            try {
                Files.createDirectory(child, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                if (mustBeNew) {
                    throw raced;
                }
            }
        }
        try {
            return new NoFollowDirectory(stream.newDirectoryStream(Path.of(name), NOFOLLOW), child);
        } catch (FileSystemException e) {
            if (attributes(name).map(BasicFileAttributes::isSymbolicLink).orElse(false)) {
                throw new LinkInTheWay(child);
            }
            throw e;
        }
    }

    /** Creates the file {@code name}; fails if anything (a link included) has that name. */
    FileChannel createFile(String name) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW);
        SeekableByteChannel channel = stream.newByteChannel(Path.of(name), options,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return (FileChannel) channel; // the JDK's secure stream opens files as FileChannels
    }

    /** Creates the symbolic link {@code name} to {@code target} (verbatim; it is never followed here). */
    void createLink(String name, Path target, UserPrincipal agent) throws IOException {
        Path link = path.resolve(name);
        Files.createSymbolicLink(link, target);
        Optional<BasicFileAttributes> made = attributes(name);
        if (made.isEmpty() || !made.get().isSymbolicLink()
                || !posix(name).readAttributes().owner().equals(agent)) {
            throw new IOException("the symbolic link " + link + " just made is not there: a directory on its way was "
                    + "replaced meanwhile");
        }
    }

    /** Mode, owner (where allowed) and times of {@code from} onto {@code name}, or onto this directory when null. */
    void copyAttributes(String name, PosixFileAttributes from) throws IOException {
        BasicFileAttributeView times = name == null ? stream.getFileAttributeView(BasicFileAttributeView.class)
                : stream.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW);
        times.setTimes(from.lastModifiedTime(), from.lastAccessTime(), null); // first: the mode may forbid opening it
        PosixFileAttributeView view = name == null ? stream.getFileAttributeView(PosixFileAttributeView.class) : posix(name);
        try {
            view.setOwner(from.owner());
            view.setGroup(from.group());
        } catch (IOException notRoot) {
            // an unprivileged agent keeps its own ownership; the mode is still copied
        }
        view.setPermissions(from.permissions());
    }

    /** Removes {@code name} and, if it is a directory, all in it, without following links. */
    void remove(String name) throws IOException {
        Optional<BasicFileAttributes> attributes = attributes(name);
        if (attributes.isEmpty()) {
            return;
        }
        if (!attributes.get().isDirectory()) {
            stream.deleteFile(Path.of(name));
            return;
        }
        try (NoFollowDirectory child = new NoFollowDirectory(stream.newDirectoryStream(Path.of(name), NOFOLLOW),
                path.resolve(name))) {
            for (String entry : child.names()) {
                child.remove(entry);
            }
        }
        stream.deleteDirectory(Path.of(name));
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        for (Path entry : stream) {
            names.add(entry.getFileName().toString());
        }
        return names;
    }

    Optional<BasicFileAttributes> attributes(String name) throws IOException {
        try {
            return Optional.of(stream.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW)
                    .readAttributes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private PosixFileAttributeView posix(String name) {
        return stream.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW);
    }

    private void requireOwner(UserPrincipal agent) throws IOException {
        PosixFileAttributes attributes = stream.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
        if (!attributes.owner().equals(agent)) {
            throw new NotTheAgents(path + " belongs to " + attributes.owner().getName() + ", not to the agent's user "
                    + agent.getName());
        }
        if (attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new NotTheAgents(path + " can be changed by other users (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + ")");
        }
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
