package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.InvalidNameException;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.values.SnapshotName;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code zsentinel checkpoint | rollback | restore | audit | maintenance}: posts the operator's command to the
 * controller, prints what was ordered, then follows the operation until the agent reports. The command
 * line is read by {@link OperatorCommands}.
 * Exit codes: 0 done, 1 refused / failed / not done in time, 2 the command line is wrong.
 */
final class OperatorCli {
    static final Duration POLL = Duration.ofMillis(500);

    private final PrintStream out;
    private final PrintStream err;
    private final Terminal.Pause pause;
    private final ZoneId zone;

    OperatorCli(Terminal terminal) {
        this.out = terminal.out();
        this.err = terminal.err();
        this.pause = terminal.pause();
        this.zone = terminal.zone();
    }

    /** What every ordering command sends: where, the request's common fields, and how long to follow it (0: not). */
    record Order(ControllerClient api, Map<String, Object> body, int waitSeconds) {
    }

    /** Calls the controller; a controller that cannot be asked is a failure (1), said on stderr. */
    @FunctionalInterface
    private interface Call {
        int run() throws ControllerClient.Unreachable, InterruptedException;
    }

    private int calling(Call call) throws InterruptedException {
        try {
            return call.run();
        } catch (ControllerClient.Unreachable e) {
            err.println("zsentinel: " + e.getMessage());
            return 1;
        }
    }

    /** {@code target}: a dataset, or a server (then every dataset of it), as the controller knows them. */
    int checkpoint(Order order, String target) throws InterruptedException {
        return calling(() -> {
            if (isServer(order, target)) {
                order.body().remove("server");
                return follow(order, order.api().post("/api/servers/" + ControllerClient.segment(target) + "/checkpoint",
                        order.body()));
            }
            return follow(order, order.api().post("/api/datasets/" + ControllerClient.segment(dataset(target).value())
                    + "/checkpoint", order.body()));
        });
    }

    int release(Order order, SnapshotName snapshot) throws InterruptedException {
        return calling(() -> released(order, snapshot));
    }

    private int released(Order order, SnapshotName snapshot) throws ControllerClient.Unreachable, InterruptedException {
        ControllerClient.Answer answer = order.api().post("/api/datasets/" + ControllerClient.segment(snapshot.dataset().value())
                + "/checkpoints/" + ControllerClient.segment(snapshot.shortName()) + "/release", order.body());
        if (!answer.ok()) {
            return refused(answer);
        }
        out.println("released checkpoint " + snapshot + " on " + TerminalText.field(answer.body(), "server")
                + ": retention may prune it from now on");
        return 0;
    }

    int rollback(Order order, SnapshotName snapshot, boolean destroyNewer) throws InterruptedException {
        order.body().put("snapshot", snapshot.full());
        order.body().put("destroyNewer", destroyNewer);
        return calling(() -> follow(order, order.api().post("/api/datasets/"
                + ControllerClient.segment(snapshot.dataset().value()) + "/rollback", order.body())));
    }

    int restore(Order order, SnapshotName snapshot, String path, Optional<String> to) throws InterruptedException {
        order.body().put("snapshot", snapshot.full());
        order.body().put("path", path);
        to.ifPresent(dir -> order.body().put("to", dir));
        return calling(() -> follow(order, order.api().post("/api/datasets/"
                + ControllerClient.segment(snapshot.dataset().value()) + "/restore", order.body())));
    }

    /** Maintenance on or off ({@code order}'s body says which); on first checkpoints the server's datasets, followed. */
    int maintenance(Order order, ServerId server) throws InterruptedException {
        return calling(() -> {
            ControllerClient.Answer answer = order.api().post("/api/servers/" + ControllerClient.segment(server.value())
                    + "/maintenance", order.body());
            if (!answer.ok()) {
                return refused(answer);
            }
            boolean on = answer.body().path("maintenance").asBoolean();
            out.println(on ? "server " + server + " is in maintenance: never declared failed, no automatic failover away"
                    + " from it, until: zsentinel maintenance off " + server + " --reason ..."
                    : "server " + server + " is out of maintenance: its failures are detected and failed over again");
            JsonNode checkpoints = answer.body().path("checkpoints");
            if (!on || checkpoints.path("ordered").isEmpty() && checkpoints.path("refused").isEmpty()) {
                return 0;
            }
            return follow(order, new ControllerClient.Answer(answer.status(), checkpoints));
        });
    }

    int audit(ControllerClient api, Optional<DatasetName> of, int limit) throws InterruptedException {
        return calling(() -> audited(api, of.map(DatasetName::value), limit));
    }

    private int audited(ControllerClient api, Optional<String> dataset, int limit)
            throws ControllerClient.Unreachable, InterruptedException {
        String query = "?limit=" + limit + dataset.map(d -> "&dataset=" + ControllerClient.segment(d)).orElse("");
        ControllerClient.Answer audit = api.get("/api/audit" + query);
        if (!audit.ok()) {
            return refused(audit);
        }
        Table table = new Table("WHEN", "OPERATOR", "SERVER", "DATASET", "OUTCOME", "ACTION — REASON");
        for (JsonNode e : audit.body()) {
            // the outcome comes with the entry (an older controller's entries have none: "recorded")
            String outcome = e.path("outcome").asText("recorded");
            // an entry about a whole server (maintenance) has no dataset, one about a service (failover ack) no server
            table.row(TerminalText.time(e, "at", zone), e.path("operator").asText(), e.path("server").asText(""),
                    e.path("dataset").asText(""), outcome, e.path("action").asText() + " — " + e.path("reason").asText());
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

    private static DatasetName dataset(String text) {
        try {
            return new DatasetName(text);
        } catch (InvalidNameException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
