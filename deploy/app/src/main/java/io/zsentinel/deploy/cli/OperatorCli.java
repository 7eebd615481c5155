package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.InvalidNameException;
import io.zsentinel.core.values.SnapshotName;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code zsentinel checkpoint | rollback | restore | audit}: posts the operator's command to the
 * controller, prints what was ordered, then follows the operation until the agent reports.
 * Exit codes: 0 done, 1 refused / failed / not done in time, 2 the command line is wrong.
 */
final class OperatorCli {
    static final String COMMANDS = """
              checkpoint <dataset|server> --reason R [--server S]
                                 a checkpoint snapshot (kept until released) of a dataset, or of every dataset of a server
              checkpoint release <dataset>@<snapshot> --reason R
              rollback <dataset>@<snapshot> --reason R [--destroy-newer] [--server S]
                                 refused while newer snapshots exist, unless --destroy-newer
              restore <dataset>@<snapshot> <path> --reason R [--to DIR] [--server S]
                                 copies path out of the snapshot (to the agent's restore directory, or DIR)
              audit [--dataset D] [--limit N] [--url U]
                                 who ordered what, why, and how it went (times in your zone: TZ)
            """;
    /** What checkpoint, rollback and restore take besides their own options. */
    static final String ORDER_OPTIONS = """
                operator commands also take: [--operator O (default $USER@host)] [--url U]
                                             [--wait SECONDS (default 60) | --no-wait]
            """;
    static final String USAGE = COMMANDS + ORDER_OPTIONS;
    static final Duration POLL = Duration.ofMillis(500);
    private static final String DEFAULT_URL = "http://127.0.0.1:8080";

    /** Waits between polls; a test makes something happen instead. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<String> defaultOperator;
    private final Pause pause;
    private final ZoneId zone;

    /** {@code zone}: the operator's, in which times are shown. */
    OperatorCli(PrintStream out, PrintStream err, Supplier<String> defaultOperator, Pause pause, ZoneId zone) {
        this.out = out;
        this.err = err;
        this.defaultOperator = defaultOperator;
        this.pause = pause;
        this.zone = zone;
    }

    static OperatorCli standard() {
        return new OperatorCli(System.out, System.err, OperatorCli::userAtHost, d -> Thread.sleep(d.toMillis()),
                ZoneId.systemDefault());
    }

    int run(String command, Options options) throws InterruptedException {
        try {
            return switch (command) {
                case "checkpoint" -> checkpoint(options);
                case "rollback" -> rollback(options);
                case "restore" -> restore(options);
                case "audit" -> audit(options);
                default -> throw new IllegalArgumentException("not an operator command: " + command);
            };
        } catch (ControllerClient.Unreachable e) {
            err.println("zsentinel: " + e.getMessage());
            return 1;
        }
    }

    /** What every operator command reads before its positional arguments. */
    private record Order(ControllerClient api, Map<String, Object> body, int waitSeconds) {
    }

    private Order order(Options options) {
        ControllerClient api = new ControllerClient(options.value("--url", DEFAULT_URL));
        String reason = options.value("--reason", null);
        if (reason == null || reason.isBlank()) {
            throw new UsageException("--reason is required: the audit log records why");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operator", options.value("--operator", defaultOperator.get()));
        body.put("reason", reason);
        Optional.ofNullable(options.value("--server", null)).ifPresent(s -> body.put("server", s));
        int wait = options.intValue("--wait", 60);
        if (wait < 0) {
            throw new UsageException("--wait must not be negative");
        }
        return new Order(api, body, options.flag("--no-wait") ? 0 : wait);
    }

    private int checkpoint(Options options) throws ControllerClient.Unreachable, InterruptedException {
        Order order = order(options);
        List<String> words = options.positionals(1, 2,
                "zsentinel checkpoint <dataset|server> --reason R | checkpoint release <dataset>@<snapshot> --reason R");
        options.requireAllUsed();
        if (words.get(0).equals("release")) {
            if (words.size() != 2) {
                throw new UsageException("usage: zsentinel checkpoint release <dataset>@<snapshot> --reason R");
            }
            return release(order, snapshot(words.get(1)));
        }
        if (words.size() != 1) {
            throw new UsageException("too many arguments " + words + "; usage: zsentinel checkpoint <dataset|server>");
        }
        String target = words.get(0);
        if (isServer(order, target)) {
            order.body().remove("server");
            return follow(order, order.api().post("/api/servers/" + ControllerClient.segment(target) + "/checkpoint",
                    order.body()));
        }
        return follow(order, order.api().post("/api/datasets/" + ControllerClient.segment(dataset(target).value())
                + "/checkpoint", order.body()));
    }

    private int release(Order order, SnapshotName snapshot) throws ControllerClient.Unreachable, InterruptedException {
        ControllerClient.Answer answer = order.api().post("/api/datasets/" + ControllerClient.segment(snapshot.dataset().value())
                + "/checkpoints/" + ControllerClient.segment(snapshot.shortName()) + "/release", order.body());
        if (!answer.ok()) {
            return refused(answer);
        }
        out.println("released checkpoint " + snapshot + " on " + TerminalText.field(answer.body(), "server")
                + ": retention may prune it from now on");
        return 0;
    }

    private int rollback(Options options) throws ControllerClient.Unreachable, InterruptedException {
        Order order = order(options);
        boolean destroyNewer = options.flag("--destroy-newer");
        List<String> words = options.positionals(1, 1, "zsentinel rollback <dataset>@<snapshot> --reason R [--destroy-newer]");
        options.requireAllUsed();
        SnapshotName snapshot = snapshot(words.get(0));
        order.body().put("snapshot", snapshot.full());
        order.body().put("destroyNewer", destroyNewer);
        return follow(order, order.api().post("/api/datasets/" + ControllerClient.segment(snapshot.dataset().value())
                + "/rollback", order.body()));
    }

    private int restore(Options options) throws ControllerClient.Unreachable, InterruptedException {
        Order order = order(options);
        String to = options.value("--to", null);
        List<String> words = options.positionals(2, 2, "zsentinel restore <dataset>@<snapshot> <path> --reason R [--to DIR]");
        options.requireAllUsed();
        SnapshotName snapshot = snapshot(words.get(0));
        order.body().put("snapshot", snapshot.full());
        order.body().put("path", words.get(1));
        if (to != null) {
            order.body().put("to", to);
        }
        return follow(order, order.api().post("/api/datasets/" + ControllerClient.segment(snapshot.dataset().value())
                + "/restore", order.body()));
    }

    private int audit(Options options) throws ControllerClient.Unreachable, InterruptedException {
        ControllerClient api = new ControllerClient(options.value("--url", DEFAULT_URL));
        Optional<String> dataset = Optional.ofNullable(options.value("--dataset", null)).map(d -> dataset(d).value());
        int limit = options.intValue("--limit", 50);
        options.requireAllUsed();
        String query = "?limit=" + limit + dataset.map(d -> "&dataset=" + ControllerClient.segment(d)).orElse("");
        ControllerClient.Answer audit = api.get("/api/audit" + query);
        if (!audit.ok()) {
            return refused(audit);
        }
        Table table = new Table("WHEN", "OPERATOR", "SERVER", "DATASET", "OUTCOME", "ACTION — REASON");
        for (JsonNode e : audit.body()) {
            // the outcome comes with the entry (an older controller's entries have none: "recorded")
            String outcome = e.path("outcome").asText("recorded");
            table.row(TerminalText.time(e, "at", zone), e.path("operator").asText(), e.path("server").asText(),
                    e.path("dataset").asText(), outcome, e.path("action").asText() + " — " + e.path("reason").asText());
            if (outcome.equals("failed") && e.hasNonNull("outcomeDetail")) {
                table.note("failed: " + TerminalText.shorten(e.path("outcomeDetail").asText(), TerminalText.NOTE_LENGTH,
                        "GET /api/operations/" + e.path("commandId").asText()));
            }
        }
        out.print(table.isEmpty() ? "no operator actions recorded" + dataset.map(d -> " for " + d).orElse("") + "\n"
                : table.format());
        return 0;
    }

    /** Prints what was ordered, then waits for the operations unless told not to. */
    private int follow(Order order, ControllerClient.Answer answer) throws ControllerClient.Unreachable, InterruptedException {
        if (!answer.ok()) {
            return refused(answer);
        }
        List<JsonNode> ordered = new ArrayList<>();
        if (answer.body().has("ordered")) {
            answer.body().path("ordered").forEach(ordered::add);
        } else {
            ordered.add(answer.body());
        }
        for (JsonNode o : ordered) {
            out.println("ordered " + TerminalText.field(o, "kind") + " of " + TerminalText.field(o, "dataset") + " on "
                    + TerminalText.field(o, "server") + (o.hasNonNull("snapshot") ? " (" + TerminalText.field(o, "snapshot") + ")" : "")
                    + ": command " + TerminalText.field(o, "commandId"));
        }
        boolean partlyRefused = false;
        for (JsonNode r : answer.body().path("refused")) {
            err.println("refused for " + TerminalText.field(r, "dataset") + ": " + TerminalText.field(r, "error")
                    + "\n  hint: " + TerminalText.field(r, "hint"));
            partlyRefused = true;
        }
        if (order.waitSeconds() == 0) {
            out.println("not waiting (--no-wait); follow with: zsentinel audit");
            return partlyRefused ? 1 : 0;
        }
        boolean allSucceeded = await(order.api(), ordered, order.waitSeconds());
        return allSucceeded && !partlyRefused ? 0 : 1;
    }

    /** Polls every operation until each succeeded or failed, or the time is up. */
    private boolean await(ControllerClient api, List<JsonNode> ordered, int waitSeconds)
            throws ControllerClient.Unreachable, InterruptedException {
        List<String> pending = new ArrayList<>(ordered.stream().map(o -> o.path("commandId").asText()).toList());
        boolean allSucceeded = true;
        long polls = Math.max(1, Duration.ofSeconds(waitSeconds).toMillis() / POLL.toMillis());
        for (long poll = 0; !pending.isEmpty() && poll <= polls; poll++) {
            if (poll > 0) {
                pause.pause(POLL);
            }
            for (String id : List.copyOf(pending)) {
                ControllerClient.Answer answer = api.get("/api/operations/" + id);
                if (answer.status() == 404) {
                    continue; // not in the view yet: projections follow the event store a moment later
                }
                if (!answer.ok()) {
                    refused(answer);
                    return false;
                }
                JsonNode op = answer.body();
                String status = op.path("status").asText();
                if (status.equals("ordered")) {
                    continue;
                }
                pending.remove(id);
                String what = TerminalText.field(op, "kind") + " " + TerminalText.field(op, "snapshot") + " on "
                        + TerminalText.field(op, "server");
                String detail = TerminalText.field(op, "detail");
                if (status.equals("succeeded")) {
                    out.println("succeeded: " + what + (detail.isEmpty() ? "" : ": " + detail));
                } else {
                    err.println("failed: " + what + ": " + detail);
                    allSucceeded = false;
                }
            }
        }
        if (!pending.isEmpty()) {
            err.println("not done after " + waitSeconds + " s: " + String.join(", ", pending)
                    + "; the agent may be down or busy. Follow with: zsentinel audit (or GET /api/operations/<id>)");
            return false;
        }
        return allSucceeded;
    }

    private int refused(ControllerClient.Answer answer) {
        answer.printRefusal(err);
        return 1;
    }

    /**
     * A bare word is a dataset when it has a '/' or the controller knows a dataset by that name, and
     * a server when the controller knows it as one; a word that is both must be made explicit.
     */
    private boolean isServer(Order order, String target) throws ControllerClient.Unreachable, InterruptedException {
        if (target.contains("/") || order.body().containsKey("server")) {
            return false;
        }
        ControllerClient.Answer datasets = order.api().get("/api/datasets");
        if (!datasets.ok()) {
            return false;
        }
        boolean dataset = false;
        boolean server = false;
        for (JsonNode d : datasets.body()) {
            dataset |= d.path("dataset").asText().equals(target);
            server |= d.path("server").asText().equals(target);
        }
        if (dataset && server) {
            throw new UsageException("\"" + target + "\" is both a dataset and a server; to checkpoint the dataset, "
                    + "name its server with --server, to checkpoint the server, use POST /api/servers/" + target + "/checkpoint");
        }
        return server;
    }

    private static SnapshotName snapshot(String text) {
        if (text.indexOf('@') < 0) {
            throw new UsageException("\"" + text + "\" is no snapshot: give <dataset>@<snapshot>, e.g. primary/vm1@daily-1");
        }
        try {
            return SnapshotName.parse(text);
        } catch (InvalidNameException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static DatasetName dataset(String text) {
        try {
            return new DatasetName(text);
        } catch (InvalidNameException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static String userAtHost() {
        String user = Optional.ofNullable(System.getenv("USER")).orElse(System.getProperty("user.name", "unknown"));
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
        return user + "@" + host;
    }
}
