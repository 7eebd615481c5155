package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;

import static io.zsentinel.deploy.cli.FailoverCli.text;

/**
 * {@code zsentinel rejoin <server> [--dry-run]} and {@code zsentinel rescue list|release}: a former primary back after
 * a failover becomes a replica of the new primary again, keeping (never destroying) what it holds after the newest
 * snapshot the two share; what it kept is listed and released only by an operator. Exit codes: 0 done, 1 refused or
 * no controller, 2 the command line is wrong.
 */
final class RejoinCli {
    private RejoinCli() {
    }

    /** Who orders, and which controller. */
    static final class Who {
        @Option(names = "--operator", paramLabel = "O", description = "who orders it (default: $USER@host)")
        String operator;
        @Mixin
        ControllerClient.Url controller;
    }

    @Command(name = "rejoin", description = "Make a former primary a replica of the new primary again: per dataset,"
            + " keep what lies after the common snapshot aside, roll back to it, receive incrementally from there.")
    static final class Rejoin implements Callable<Integer> {
        @Parameters(paramLabel = "<server>", description = "the former primary")
        String server;
        @Option(names = "--dry-run", description = "only show, per dataset, the common snapshot and what lies after it")
        boolean dryRun;
        @Option(names = "--reason", paramLabel = "R", converter = Arguments.Reason.class,
                description = "why (the audit log records it)")
        String reason;
        @Mixin
        Who who;
        private final Terminal terminal;

        Rejoin(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws InterruptedException {
            Map<String, Object> body = body(terminal, who.operator, reason);
            body.put("dryRun", dryRun);
            return post(terminal, who.controller, "/api/servers/" + ControllerClient.segment(server) + "/rejoin", body,
                    answer -> {
                        if (answer.body() == null || answer.body().path("services").isMissingNode()) {
                            answer.printRefusal(terminal.err());
                            return 1;
                        }
                        boolean refused = false;
                        for (JsonNode s : answer.body().path("services")) {
                            refused |= print(terminal.out(), s);
                        }
                        return refused ? 1 : 0;
                    });
        }

        /** Prints one service's rejoin; true when it was refused. */
        private static boolean print(PrintStream out, JsonNode s) {
            String status = text(s, "status");
            out.println(text(s, "service") + ": " + status + " (new primary " + text(s, "newPrimary")
                    + ", generation " + s.path("generation").asLong() + ")");
            for (JsonNode r : s.path("refusals")) {
                out.println("  refused: " + TerminalText.of(r.asText()));
            }
            for (JsonNode d : s.path("datasets")) {
                String common = d.path("common").isNull() ? "none" : "@" + text(d, "common") + " (guid "
                        + text(d, "commonGuid") + ", " + text(d, "commonCreated") + ")";
                out.println("  " + text(d, "dataset") + " <- " + text(d, "copy") + ": common snapshot " + common);
                StringBuilder after = new StringBuilder();
                d.path("snapshotsAfter").forEach(n -> after.append(after.length() == 0 ? "" : ", ")
                        .append("@").append(TerminalText.of(n.asText())));
                out.println("    after it: " + (after.length() == 0 ? "no snapshots" : after) + "; bytes: "
                        + (d.path("bytesAfter").isNull() ? "unknown" : d.path("bytesAfter").asLong()) + " ("
                        + text(d, "bytesHow") + ")");
                if (!d.path("keptAs").isNull()) {
                    out.println("    kept as: " + text(d, "keptAs"));
                }
            }
            return status.equals("refused");
        }
    }

    @Command(name = "rescue", description = "List or release the divergent state rejoins kept.",
            subcommands = {RescueList.class, RescueRelease.class})
    static final class Rescue {
    }

    @Command(name = "list", description = "What rejoins kept: server, dataset, when, from which snapshot, size.")
    static final class RescueList implements Callable<Integer> {
        @Mixin
        ControllerClient.Url controller;
        private final Terminal terminal;

        RescueList(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws InterruptedException {
            try {
                ControllerClient.Answer answer = controller.client().get("/api/rescues");
                if (!answer.ok()) {
                    answer.printRefusal(terminal.err());
                    return 1;
                }
                if (answer.body().isEmpty()) {
                    terminal.out().println("no divergent state is kept");
                }
                for (JsonNode r : answer.body()) {
                    terminal.out().println(text(r, "name") + "  kept " + text(r, "keptAt") + " from "
                            + text(r, "server") + ":" + text(r, "dataset") + " after @" + text(r, "fromSnapshot")
                            + " (service " + text(r, "service") + "), " + size(r) + ", " + text(r, "status")
                            + (r.path("lastRefusal").isNull() ? "" : " (last release refused: "
                            + text(r, "lastRefusal") + ")"));
                }
                return 0;
            } catch (ControllerClient.Unreachable e) {
                terminal.err().println("zsentinel: " + e.getMessage());
                return 1;
            }
        }

        private static String size(JsonNode r) {
            String used = r.path("snapshotsUsedBytes").isNull() ? "size not reported yet"
                    : r.path("snapshotsUsedBytes").asLong() + " bytes in its snapshots";
            return used + (r.path("bytesAfter").isNull() ? "" : ", ~" + r.path("bytesAfter").asLong()
                    + " bytes after the common snapshot");
        }
    }

    @Command(name = "release", description = "Destroy kept divergent state (audited); nothing else ever does.")
    static final class RescueRelease implements Callable<Integer> {
        @Parameters(paramLabel = "<name>", description = "as rescue list shows it: server:dataset")
        String name;
        @Option(names = "--reason", paramLabel = "R", required = true, converter = Arguments.Reason.class,
                description = "why: the audit log records it")
        String reason;
        @Mixin
        Who who;
        private final Terminal terminal;

        RescueRelease(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws InterruptedException {
            Map<String, Object> body = body(terminal, who.operator, reason);
            body.put("name", name);
            return post(terminal, who.controller, "/api/rescues/release", body, answer -> {
                if (!answer.ok()) {
                    answer.printRefusal(terminal.err());
                    return 1;
                }
                terminal.out().println("release of " + TerminalText.of(name) + " ordered; zsentinel rescue list shows"
                        + " it until its agent has destroyed it");
                return 0;
            });
        }
    }

    /** The operator (given, else $USER@host) and the reason, if any: what every order sends. */
    private static Map<String, Object> body(Terminal terminal, String operator, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operator", operator != null ? operator : terminal.operator().get());
        if (reason != null) {
            body.put("reason", reason);
        }
        return body;
    }

    private static int post(Terminal terminal, ControllerClient.Url controller, String path, Map<String, Object> body,
                            ToIntFunction<ControllerClient.Answer> then) throws InterruptedException {
        try {
            return then.applyAsInt(controller.client().post(path, body));
        } catch (ControllerClient.Unreachable e) {
            terminal.err().println("zsentinel: " + e.getMessage());
            return 1;
        }
    }
}
