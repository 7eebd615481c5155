package io.zsentinel.deploy.lab;

import io.zsentinel.core.values.ServerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One storage server's agent as an operating-system process of its own ({@code zsentinel agent --config FILE}
 * in a new JVM on this JVM's class path), so that a lab fault can crash or freeze one server and leave the
 * others, the broker and the controller running, as on real hosts. Its output goes to a log file of its own.
 * A crash is SIGKILL (no shutdown hook runs: the agent stops mid-step, as on a power cut), a freeze SIGSTOP (the
 * process keeps its sockets and state and carries on where it stopped after {@link #thaw}: a paused VM or a
 * stop-the-world pause). Not thread-safe: the lab drives it from one thread.
 */
public final class AgentProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentProcess.class);
    /** How long a stop waits for the agent's own shutdown before it kills the process. */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** How long a crash waits for the stopped agent's commands before the kill (one blocked on its pipe never ends). */
    static final Duration BEFORE_KILL = Duration.ofSeconds(5);
    static final String MAIN = "io.zsentinel.deploy.cli.Main";

    private final ServerId server;
    private final List<String> command;
    private final Path logFile;
    private Process process;
    private boolean frozen;
    /** The process the lab ended itself, whose exit is not reported as unexpected. */
    private volatile Process ending;

    private AgentProcess(ServerId server, List<String> command, Path logFile) {
        this.server = server;
        this.command = List.copyOf(command);
        this.logFile = logFile;
    }

    /**
     * Starts the agent of {@code server} with {@code config} (an agent.yaml), its output appended to {@code logFile}.
     * An agent still running on the same config (its lab was killed, so it could not stop its agents) is stopped
     * first: two agents of one server would both report and both act on its commands.
     */
    public static AgentProcess start(ServerId server, Path config, Path logFile) {
        return start(server, config, logFile, List.of());
    }

    /** As {@link #start(ServerId, Path, Path)}, the command line run through {@code prefix} (e.g. {@code ip netns exec NS}). */
    public static AgentProcess start(ServerId server, Path config, Path logFile, List<String> prefix) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(command(config));
        AgentProcess agent = new AgentProcess(server, argv, logFile);
        agent.stopStale();
        agent.start();
        return agent;
    }

    /**
     * A process's command line from {@code /proc} (the lab runs on Linux); {@code ProcessHandle.Info} leaves out
     * the arguments of a command line as long as a JVM's with its class path.
     */
    static Optional<String> commandLine(long pid) {
        try {
            return Optional.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException e) {
            return Optional.empty(); // gone, or not Linux
        }
    }

    private Path pidFile() {
        Path config = Path.of(command.get(command.size() - 1));
        return config.resolveSibling(config.getFileName() + ".pid");
    }

    private void stopStale() {
        Path pidFile = pidFile();
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid)
                    .filter(h -> commandLine(pid).map(line -> line.contains(MAIN)
                            && line.contains(command.get(command.size() - 1))).orElse(false))
                    .ifPresent(stale -> {
                        log.warn("an agent of {} from an earlier lab still runs (pid {}); stopping it", server, pid);
                        stale.destroy();
                        try {
                            stale.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (Exception e) {
                            stale.destroyForcibly();
                        }
                    });
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            log.warn("ignoring the unreadable pid file {}: {}", pidFile, e.toString());
        }
    }

    /** The command line of an agent on this JVM's java binary and class path; no shell is involved. */
    static List<String> command(Path config) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.add("-Xmx128m");
        argv.add("-XX:+ExitOnOutOfMemoryError");
        argv.add("-Daxoniq.update-checker.disabled=true");
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(MAIN);
        argv.add("agent");
        argv.add("--config");
        argv.add(config.toAbsolutePath().toString());
        return argv;
    }

    /** Starts the process again after a crash or a stop; a running one is left as it is. */
    public void start() {
        if (alive()) {
            return;
        }
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new LabException("could not start the agent of " + server + " (" + command.get(0) + "): " + e.getMessage()
                    + "; its log: " + logFile, e);
        }
        frozen = false;
        long pid = process.pid();
        try {
            Files.writeString(pidFile(), pid + "\n");
        } catch (IOException e) {
            log.warn("could not write {}: {}; a lab killed now would leave this agent running", pidFile(), e.toString());
        }
        process.onExit().thenAccept(p -> {
            if (p != ending) {
                log.warn("agent of {} (pid {}) exited with status {}; its log: {}", server, pid,
                        p.exitValue(), logFile);
            }
        });
        log.info("agent of {} started as pid {}, log {}", server, pid, logFile);
    }

    public ServerId server() {
        return server;
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public boolean frozen() {
        return alive() && frozen;
    }

    /** The running process's id, if one runs. */
    public Optional<Long> pid() {
        return alive() ? Optional.of(process.pid()) : Optional.empty();
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * SIGKILL: the agent ends at once, mid-step, with no shutdown of its own. It is stopped first (SIGSTOP), so that it
     * starts nothing more, and the {@code zfs} commands it had started are left to finish before the kill (waited for
     * up to {@link #BEFORE_KILL}): killed mid-call, or cut off from their pipe by their parent's death, they can leave
     * the shared zfs-fuse daemon holding their pool, which then stays busy for every export until the daemon
     * restarts (seen in {@code bench failover} when a command started between a list of them and the kill).
     */
    public void crash() {
        if (!alive()) {
            return;
        }
        ending = process;
        if (!frozen) {
            signal("STOP"); // from here on the agent starts nothing: the list below is complete
            frozen = true;
        }
        List<ProcessHandle> children = process.descendants().toList();
        long until = System.nanoTime() + BEFORE_KILL.toNanos();
        for (ProcessHandle child : children) {
            // one that ended stays a zombie while its stopped parent cannot reap it: ended all the same
            while (running(child) && System.nanoTime() < until) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            if (running(child)) {
                log.warn("a process the crashing agent of {} had started (pid {}) still runs: {}", server, child.pid(),
                        child.info().commandLine().orElse("?"));
            }
        }
        process.destroyForcibly();
        waitForExit(STOP_GRACE);
        frozen = false;
        log.info("agent of {} crashed on purpose (SIGSTOP, then SIGKILL once the {} process(es) it had started ended)",
                server, children.size());
    }

    /** Alive and not a zombie (its state in /proc/PID/stat, after the command's closing parenthesis). */
    private static boolean running(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false; // gone
        }
    }

    /** SIGSTOP: the process stops where it is, keeps its connections and state, and goes on after {@link #thaw}. */
    public void freeze() {
        if (alive() && !frozen) {
            signal("STOP");
            frozen = true;
            log.info("agent of {} frozen (SIGSTOP)", server);
        }
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw() {
        if (alive() && frozen) {
            signal("CONT");
            frozen = false;
            log.info("agent of {} resumed (SIGCONT)", server);
        }
    }

    private void signal(String name) {
        List<String> kill = List.of("kill", "-" + name, Long.toString(process.pid()));
        try {
            Process p = new ProcessBuilder(kill).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new LabException("could not send SIG" + name + " to the agent of " + server + " (pid "
                        + process.pid() + "): " + out);
            }
        } catch (IOException e) {
            throw new LabException("could not run " + String.join(" ", kill) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while signalling the agent of " + server, e);
        }
    }

    /** SIGTERM (the agent closes itself: its shutdown hook), SIGKILL if it has not ended within {@link #STOP_GRACE}. */
    @Override
    public void close() {
        if (!alive()) {
            return;
        }
        ending = process;
        thaw(); // a stopped process would not act on SIGTERM until continued
        process.destroy();
        if (!waitForExit(STOP_GRACE)) {
            log.warn("agent of {} did not stop within {} s of SIGTERM; killing it", server, STOP_GRACE.toSeconds());
            process.destroyForcibly();
            waitForExit(STOP_GRACE);
        }
        frozen = false;
    }

    private boolean waitForExit(Duration atMost) {
        try {
            return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
