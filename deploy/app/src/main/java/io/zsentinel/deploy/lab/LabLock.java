package io.zsentinel.deploy.lab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One lab per directory: an OS lock on {@code <lab>/lab.lock}, taken before anything touches the directory
 * and held for the lab's life. The OS drops it when the process ends, however it ends, so a file left by a
 * killed lab blocks nothing; the file itself is never deleted (a second file under the same name could be
 * locked by a second lab). {@code <lab>/lab.pid} names the holder for the message a second lab prints.
 * Within one JVM a second try is refused before the file is opened: closing any channel on the file would
 * drop the process's OS lock (POSIX record locks belong to the process, not to the channel).
 */
public final class LabLock implements AutoCloseable {
    static final String LOCK_FILE = "lab.lock";
    static final String HOLDER_FILE = "lab.pid";

    /** Another process holds the lab directory; the message names it and its dashboard. */
    public static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning(String message) {
            super(message);
        }
    }

    /** Lab directories this JVM holds: checked before the file is opened, see the class comment. */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private LabLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} (made if missing) for this process, or throws {@link AlreadyRunning}. */
    public static LabLock acquire(Path dir) throws IOException {
        Path lab = dir.toAbsolutePath().normalize();
        Files.createDirectories(lab);
        if (!HELD_HERE.add(lab)) {
            throw new AlreadyRunning(holder(lab));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lab.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new AlreadyRunning(holder(lab));
            }
            LabLock held = new LabLock(lab, channel, lock);
            held.describe(null);
            return held;
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(lab);
            if (channel != null) {
                channel.close(); // releases the lock too, if it was taken
            }
            throw e;
        }
    }

    /** Records the dashboard's address once the lab has started, for a second lab's message. */
    public void running(String dashboard) throws IOException {
        describe(dashboard);
    }

    private void describe(String dashboard) throws IOException {
        Path holder = dir.resolve(HOLDER_FILE);
        Path written = dir.resolve(HOLDER_FILE + ".new");
        Files.writeString(written, "pid " + ProcessHandle.current().pid() + "\n"
                + (dashboard == null ? "" : "dashboard " + dashboard + "\n"));
        Files.move(written, holder, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String holder(Path lab) {
        String running = "a lab is already running in " + lab;
        List<String> lines;
        try {
            lines = Files.readAllLines(lab.resolve(HOLDER_FILE));
        } catch (NoSuchFileException e) {
            return running + " (it is starting); use it, or stop it (Ctrl-C where it runs) before starting another, "
                    + "or give another directory with --dir";
        } catch (IOException e) {
            lines = List.of();
        }
        Optional<Long> pid = value(lines, "pid ").filter(v -> v.matches("[0-9]{1,18}")).map(Long::parseLong);
        Optional<String> dashboard = value(lines, "dashboard ");
        return running + " (pid " + pid.map(String::valueOf).orElse("unknown")
                + dashboard.map(d -> ", dashboard " + d).orElse(", still starting") + "); use it, or stop it "
                + "(Ctrl-C where it runs" + pid.map(p -> ", or kill " + p).orElse("") + ") before starting another, "
                + "or give another directory with --dir";
    }

    /** The pid of the lab running in {@code dir}, if one runs: its holder file names a live process. */
    public static Optional<Long> runningPid(Path dir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.toAbsolutePath().normalize().resolve(HOLDER_FILE));
        } catch (IOException e) {
            return Optional.empty();
        }
        return value(lines, "pid ").filter(v -> v.matches("[0-9]{1,18}")).map(Long::parseLong)
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private static Optional<String> value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length()).strip())
                .filter(v -> !v.isEmpty()).findFirst();
    }

    /** Whether {@code path} is one of the lock's files (a reset of the lab directory keeps them). */
    static boolean isLockFile(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return name.equals(LOCK_FILE) || name.equals(HOLDER_FILE) || name.equals(HOLDER_FILE + ".new");
    }

    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(dir.resolve(HOLDER_FILE));
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
                HELD_HERE.remove(dir);
            }
        }
    }
}
