package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code zsentinel failover ack|force|show <service>}: an operator's part in failovers. {@code ack} arms automatic
 * failover again after one happened (it stays off until then: no ping-pong); {@code force} fails a service over to
 * a named standby now, accepting its data loss; {@code show} prints who serves the service, what blocks it and its
 * failovers step by step. Exit codes: 0 done, 1 refused or no controller, 2 the command line is wrong.
 */
@Command(name = "failover", description = "Acknowledge, force or show a service's failovers.",
        subcommands = {FailoverCli.Ack.class, FailoverCli.Force.class, FailoverCli.Show.class})
final class FailoverCli {
    private FailoverCli() {
    }

    /** What every failover command takes. */
    static final class ServiceOrder {
        @Parameters(paramLabel = "<service>", description = "the service's name, as in controller.yaml")
        String service;
        @Option(names = "--operator", paramLabel = "O", description = "who orders it (default: $USER@host)")
        String operator;
        @Mixin
        ControllerClient.Url controller;
    }

    /** Where a service moves to and why (a forced failover, a switchover). */
    static final class Move {
        @Option(names = "--to", paramLabel = "SERVER", required = true, description = "the standby to serve from")
        String to;
        @Option(names = "--reason", paramLabel = "R", required = true, converter = Arguments.Reason.class,
                description = "why: the audit log records it")
        String reason;
    }

    @Command(name = "ack", description = "The last failover has been looked at: arm automatic failover again.")
    static final class Ack implements Callable<Integer> {
        @Mixin
        ServiceOrder order;
        @Option(names = "--reason", paramLabel = "R", converter = Arguments.Reason.class,
                description = "why (the audit log records it)")
        String reason;
        private final Terminal terminal;

        Ack(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws InterruptedException {
            return post(terminal, order, "ack", reason, Map.of(), "automatic failover of " + order.service
                    + " is armed again");
        }
    }

    @Command(name = "force", description = "Fail the service over to --to now, accepting the data loss (audited).")
    static final class Force implements Callable<Integer> {
        @Mixin
        ServiceOrder order;
        @Mixin
        Move move;
        private final Terminal terminal;

        Force(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws InterruptedException {
            return post(terminal, order, "force", move.reason, Map.of("to", move.to), "failover of " + order.service
                    + " to " + move.to + " ordered; follow it with: zsentinel failover show " + order.service);
        }
    }

    /**
     * {@code zsentinel switchover <service> --to <standby> --reason …}: a planned switchover, no data lost (the old
     * primary read-only, a final snapshot sent, then the standby promoted; the old primary then receives from it).
     */
    @Command(name = "switchover", description = "Move the service to the standby --to with no data lost (planned,"
            + " audited); the old primary then receives from it.")
    static final class Switchover implements Callable<Integer> {
        @Mixin
        ServiceOrder order;
        @Mixin
        Move move;
        private final Terminal terminal;

        Switchover(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws InterruptedException {
            return post(terminal, order, "switchover", move.reason, Map.of("to", move.to), "switchover of "
                    + order.service + " to " + move.to + " ordered; follow it with: zsentinel failover show " + order.service);
        }
    }

    @Command(name = "show", description = "Who serves the service, what blocks it, and its failovers step by step.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ServiceOrder order;
        private final Terminal terminal;

        Show(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws InterruptedException {
            try {
                ControllerClient.Answer answer = order.controller.client().get("/api/services/"
                        + ControllerClient.segment(order.service));
                if (!answer.ok()) {
                    answer.printRefusal(terminal.err());
                    return 1;
                }
                print(answer.body());
                return 0;
            } catch (ControllerClient.Unreachable e) {
                terminal.err().println("zsentinel: " + e.getMessage());
                return 1;
            }
        }

        private void print(JsonNode body) {
            JsonNode s = body.path("service");
            terminal.out().println(text(s, "service") + ": " + text(s, "state") + ", served by " + text(s, "primary")
                    + " at generation " + s.path("generation").asLong() + ", standbys " + join(s.path("standbys")));
            if (!s.path("blockedBy").isMissingNode() && !s.path("blockedBy").isNull()) {
                terminal.out().println("  automatic failover blocked: " + text(s, "blockedBy"));
            }
            if (!s.path("step").isMissingNode() && !s.path("step").isNull()) {
                terminal.out().println("  failover " + text(s, "failover") + " running: " + text(s, "step")
                        + ", deadline " + text(s, "deadline"));
            }
            for (JsonNode f : body.path("failovers")) {
                terminal.out().println("failover " + text(f, "id") + " " + text(f, "from") + " -> " + text(f, "to")
                        + " (generation " + f.path("generation").asLong() + "): " + text(f, "outcome"));
                for (JsonNode step : f.path("steps")) {
                    terminal.out().println("  " + text(step, "at") + "  " + text(step, "event") + "  " + text(step, "text"));
                }
            }
        }

        private static String join(JsonNode array) {
            StringBuilder b = new StringBuilder();
            array.forEach(n -> b.append(b.length() == 0 ? "" : ", ").append(TerminalText.of(n.asText())));
            return "[" + b + "]";
        }
    }

    /** The controller's words, made safe for a terminal. */
    static String text(JsonNode node, String field) {
        return TerminalText.of(node.path(field).asText(""));
    }

    private static int post(Terminal terminal, ServiceOrder order, String action, String reason, Map<String, Object> extra,
                            String done) throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operator", order.operator != null ? order.operator : terminal.operator().get());
        if (reason != null) {
            body.put("reason", reason);
        }
        body.putAll(extra);
        try {
            ControllerClient.Answer answer = order.controller.client().post("/api/services/"
                    + ControllerClient.segment(order.service) + "/" + action, body);
            if (!answer.ok()) {
                answer.printRefusal(terminal.err());
                return 1;
            }
            terminal.out().println(done);
            return 0;
        } catch (ControllerClient.Unreachable e) {
            terminal.err().println("zsentinel: " + e.getMessage());
            return 1;
        }
    }
}
