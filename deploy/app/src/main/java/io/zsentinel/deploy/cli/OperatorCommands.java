package io.zsentinel.deploy.cli;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * What {@code zsentinel checkpoint | rollback | restore | audit | maintenance} take; {@link OperatorCli} carries them
 * out.
 */
final class OperatorCommands {
    private OperatorCommands() {
    }

    /**
     * What checkpoint, rollback and restore take besides their own arguments; inherited, so that checkpoint's
     * subcommand release takes them too.
     */
    static final class OrderOptions {
        @Spec(Spec.Target.MIXEE)
        private CommandSpec command;
        @Option(names = "--reason", scope = ScopeType.INHERIT, paramLabel = "R", required = true, converter = Arguments.Reason.class,
                description = "why: the audit log records it")
        String reason;
        @Option(names = "--operator", scope = ScopeType.INHERIT, paramLabel = "O", description = "who orders it (default: $USER@host)")
        String operator;
        @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "S", description = "the dataset's server, where its name alone is not enough")
        ServerId server;
        @Option(names = "--wait", scope = ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "60",
                description = "how long to follow the operation until the agent reports (default: ${DEFAULT-VALUE})")
        int waitSeconds;
        @Option(names = "--no-wait", scope = ScopeType.INHERIT, description = "order, and do not follow it (then: zsentinel audit)")
        boolean noWait;
        @Mixin
        ControllerClient.Url controller;

        OperatorCli.Order order(Terminal terminal) {
            if (waitSeconds < 0) {
                throw new ParameterException(command.commandLine(), "--wait must not be negative, not " + waitSeconds);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("operator", operator != null ? operator : terminal.operator().get());
            body.put("reason", reason);
            if (server != null) {
                body.put("server", server.value());
            }
            return new OperatorCli.Order(controller.client(), body, noWait ? 0 : waitSeconds);
        }
    }

    @Command(name = "checkpoint", subcommands = Release.class, description = "A checkpoint snapshot (kept until released, and zfs-held) of a dataset, or of every dataset of a server.")
    static final class Checkpoint implements Callable<Integer> {
        @Spec
        private CommandSpec spec;
        // optional for picocli only, so that "checkpoint release ..." needs none: required below
        @Parameters(paramLabel = "<dataset|server>", arity = "0..1", converter = Arguments.Target.class,
                description = "a dataset (e.g. primary/vm1) or a server (every dataset of it); required, but for release")
        String target;
        @Mixin
        OrderOptions order;

        private final Terminal terminal;

        Checkpoint(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            if (target == null) {
                throw new ParameterException(spec.commandLine(), "Missing required parameter: '<dataset|server>'");
            }
            return new OperatorCli(terminal).checkpoint(order.order(terminal), target);
        }
    }

    @Command(name = "release", description = "Releases a checkpoint: retention may prune it from then on.")
    static final class Release implements Callable<Integer> {
        @ParentCommand
        private Checkpoint checkpoint;
        @Parameters(paramLabel = "<dataset>@<snapshot>", description = "the checkpoint, e.g. primary/vm1@zsentinel_checkpoint_...")
        SnapshotName snapshot;

        private final Terminal terminal;

        Release(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            return new OperatorCli(terminal).release(checkpoint.order.order(terminal), snapshot);
        }
    }

    @Command(name = "rollback", description = "Rolls a dataset back to a snapshot; refused while newer snapshots exist (it names them), unless"
            + " --destroy-newer.")
    static final class Rollback implements Callable<Integer> {
        @Parameters(paramLabel = "<dataset>@<snapshot>", description = "the snapshot to roll back to")
        SnapshotName snapshot;
        @Option(names = "--destroy-newer", description = "destroy the snapshots newer than it")
        boolean destroyNewer;
        @Mixin
        OrderOptions order;

        private final Terminal terminal;

        Rollback(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            return new OperatorCli(terminal).rollback(order.order(terminal), snapshot, destroyNewer);
        }
    }

    @Command(name = "restore", description = "Copies a path out of a snapshot without touching live data, to the agent's restore directory"
            + " (or --to DIR)/<dataset with / as _>/<snapshot>/<path>; nothing is overwritten.")
    static final class Restore implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<dataset>@<snapshot>", description = "the snapshot to copy from")
        SnapshotName snapshot;
        @Parameters(index = "1", paramLabel = "<path>", description = "the file or directory, relative to the dataset's root")
        String path;
        @Option(names = "--to", paramLabel = "DIR", description = "an absolute directory on the storage server")
        String to;
        @Mixin
        OrderOptions order;

        private final Terminal terminal;

        Restore(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            return new OperatorCli(terminal).restore(order.order(terminal), snapshot, path, Optional.ofNullable(to));
        }
    }

    @Command(name = "maintenance", description = "Puts a server in maintenance mode (first a checkpoint of each of its datasets)"
            + " or takes it out: meanwhile it is never declared failed and no service fails over away from it automatically.")
    static final class Maintenance implements Callable<Integer> {
        /** The two ways, as typed. */
        enum Mode { on, off }

        @Spec
        private CommandSpec spec;
        @Parameters(index = "0", paramLabel = "on|off", description = "on: into maintenance; off: out of it")
        Mode mode;
        @Parameters(index = "1", paramLabel = "<server>", description = "the server, as the controller knows it")
        ServerId server;
        @Option(names = "--reason", paramLabel = "R", required = true, converter = Arguments.Reason.class,
                description = "why: the audit log records it")
        String reason;
        @Option(names = "--operator", paramLabel = "O", description = "who orders it (default: $USER@host)")
        String operator;
        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
                description = "how long to follow the checkpoints taken first (default: ${DEFAULT-VALUE})")
        int waitSeconds;
        @Option(names = "--no-wait", description = "do not follow the checkpoints (then: zsentinel audit)")
        boolean noWait;
        @Mixin
        ControllerClient.Url controller;

        private final Terminal terminal;

        Maintenance(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            if (waitSeconds < 0) {
                throw new ParameterException(spec.commandLine(), "--wait must not be negative, not " + waitSeconds);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("on", mode == Mode.on);
            body.put("operator", operator != null ? operator : terminal.operator().get());
            body.put("reason", reason);
            return new OperatorCli(terminal).maintenance(new OperatorCli.Order(controller.client(), body,
                    noWait ? 0 : waitSeconds), server);
        }
    }

    @Command(name = "audit", description = "Who ordered what, why, and how it went (times in your zone: TZ).")
    static final class Audit implements Callable<Integer> {
        @Option(names = "--dataset", paramLabel = "D", description = "only the entries of this dataset")
        DatasetName dataset;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "the newest N entries (default: ${DEFAULT-VALUE})")
        int limit;
        @Mixin
        ControllerClient.Url controller;

        private final Terminal terminal;

        Audit(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            return new OperatorCli(terminal).audit(controller.client(), Optional.ofNullable(dataset), limit);
        }
    }
}
