package io.zsentinel.deploy.cli;

import io.zsentinel.replication.api.link.LinkId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code zsentinel replication pause|resume|sync-now|resolve <link>}: one operator command on a
 * replication link, decided by the controller at once (no agent to wait for).
 * Exit codes: 0 accepted, 1 refused or no controller, 2 the command line is wrong.
 */
@Command(name = "replication", description = "Operator commands on a replication link, decided by the controller at once.",
        subcommands = {ReplicationCli.Pause.class, ReplicationCli.Resume.class, ReplicationCli.SyncNow.class,
                ReplicationCli.Resolve.class},
        footer = {"", "A link is '<server>:<dataset>-><server>:<dataset>': quote it in a shell, since '>' redirects:",
                "  zsentinel replication pause 'store-a:primary/vm1->store-b:backup/vm1' \\",
                "      --reason \"maintenance\""})
final class ReplicationCli {
    static final String RESOLVE_WITHOUT_CONSENT = "resolve discards the target's own snapshots and every write made"
            + " on the target since the common base (it is rolled back, or replaced by a full receive -F when there"
            + " is none); say so with --rollback-target";

    /** What every link command takes. */
    static final class LinkOrder {
        @Parameters(paramLabel = "<link>", description = "'<server>:<dataset>-><server>:<dataset>', quoted")
        LinkId link;
        @Option(names = "--reason", paramLabel = "R", required = true, converter = Arguments.Reason.class,
                description = "why: the audit log records it")
        String reason;
        @Option(names = "--operator", paramLabel = "O", description = "who orders it (default: $USER@host)")
        String operator;
        @Mixin
        ControllerClient.Url controller;
    }

    /** One link command: posts {@code action} on the link and says what was done. */
    private abstract static class LinkCommand implements Callable<Integer> {
        @Mixin
        LinkOrder order;
        final Terminal terminal;
        private final String action;
        /** What the operator reads once the controller accepted. */
        private final Function<LinkId, String> done;

        LinkCommand(Terminal terminal, String action, Function<LinkId, String> done) {
            this.terminal = terminal;
            this.action = action;
            this.done = done;
        }

        @Override
        public Integer call() throws InterruptedException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("operator", order.operator != null ? order.operator : terminal.operator().get());
            body.put("reason", order.reason);
            body.putAll(extra());
            try {
                ControllerClient.Answer answer = order.controller.client().post("/api/replication/links/"
                        + ControllerClient.segment(order.link.toString()) + "/" + action, body);
                if (!answer.ok()) {
                    answer.printRefusal(terminal.err());
                    return 1;
                }
                terminal.out().println(done.apply(order.link) + "; follow with: zsentinel status");
                return 0;
            } catch (ControllerClient.Unreachable e) {
                terminal.err().println("zsentinel: " + e.getMessage());
                return 1;
            }
        }

        Map<String, Object> extra() {
            return Map.of();
        }
    }

    @Command(name = "pause", description = "Stops starting transfers on the link.")
    static final class Pause extends LinkCommand {
        Pause(Terminal terminal) {
            super(terminal, "pause", link -> "paused " + link);
        }
    }

    @Command(name = "resume", description = "Starts transfers on the link again.")
    static final class Resume extends LinkCommand {
        Resume(Terminal terminal) {
            super(terminal, "resume", link -> "resumed " + link);
        }
    }

    @Command(name = "sync-now", description = "Transfers at the next tick.")
    static final class SyncNow extends LinkCommand {
        SyncNow(Terminal terminal) {
            super(terminal, "sync-now", link -> "sync requested for " + link);
        }
    }

    @Command(name = "resolve", description = "Ends a divergence by DISCARDING the target's own snapshots and writes.")
    static final class Resolve extends LinkCommand {
        @Spec
        private CommandSpec spec;
        @Option(names = "--rollback-target", description = "consent: the next transfer rolls the target back")
        boolean rollbackTarget;

        Resolve(Terminal terminal) {
            super(terminal, "resolve", link -> "resolution ordered for " + link + ": the next transfer rolls the target back");
        }

        @Override
        public Integer call() throws InterruptedException {
            if (!rollbackTarget) {
                throw new ParameterException(spec.commandLine(), RESOLVE_WITHOUT_CONSENT + ":\n  zsentinel replication resolve '"
                        + order.link + "' --rollback-target --reason R");
            }
            return super.call();
        }

        @Override
        Map<String, Object> extra() {
            return Map.of("rollbackTarget", true);
        }
    }
}
