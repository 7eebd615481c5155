package io.zsentinel.deploy.transfer;

import io.zsentinel.core.values.ShellQuoting;
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import io.zsentinel.core.zfs.ZfsBinaries;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a zfs argument list for the target server into the argument list this host runs: as is
 * (local; the target's pools are on this host) or behind {@code ssh}, where the remote shell joins the
 * words, so every word is single-quoted (ZFS names may hold spaces). Never a local shell.
 */
public final class TargetTransport {
    private final TransferTarget target;
    private final ZfsBinaries localBinaries;

    public TargetTransport(TransferTarget target, ZfsBinaries localBinaries) {
        this.target = target;
        this.localBinaries = localBinaries;
    }

    public TransferTarget target() {
        return target;
    }

    public boolean local() {
        return target.transport() == TransferTarget.Transport.LOCAL;
    }

    /** The argv that runs {@code zfsCommand} (program name "zfs" first) on the target. */
    public List<String> argv(List<String> zfsCommand) {
        if (local()) {
            return localBinaries.argv(zfsCommand);
        }
        List<String> remote = new ArrayList<>(zfsCommand);
        remote.set(0, target.zfsCommand());
        List<String> argv = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-o", "ServerAliveInterval=15", "-p", String.valueOf(target.port())));
        if (target.identityFile() != null) {
            argv.addAll(List.of("-i", target.identityFile()));
        }
        argv.add("--");
        argv.add(target.destination());
        argv.add(ShellQuoting.commandLine(remote));
        return argv;
    }

    /** Runs short zfs commands (get, list) on the target, for the driver that reads the target's state. */
    public CommandRunner runner() {
        ProcessCommandRunner processes = new ProcessCommandRunner(localBinaries);
        if (local()) {
            return processes;
        }
        return new CommandRunner() {
            @Override
            public CommandResult run(List<String> command, Duration timeout) {
                CommandResult r = processes.run(argv(command), timeout);
                // report the zfs command, not the ssh wrapper, in errors; the stderr names ssh failures
                return new CommandResult(command, r.exitCode(), r.stdout(), r.stderr(), r.timedOut(), r.elapsed());
            }

            @Override
            public long invocations() {
                return processes.invocations();
            }
        };
    }

    /** "local" or "ssh user@host:port", for messages. */
    public String describe() {
        return local() ? "local" : "ssh " + target.destination() + ":" + target.port();
    }
}
