package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code zsentinel history SUBJECT [--since T] [--until T] [--type A,B] [--json]}: the domain events of one server,
 * dataset, link or service as a timeline, oldest first, read page by page from {@code GET /api/history}. With
 * {@code --json} one JSON object per line (sequence, at, type, event). Exit codes: 0 done, 1 refused (an unknown
 * subject, a bad instant) or no controller, 2 the command line is wrong.
 */
@Command(name = "history", description = "Prints the domain events of a server, dataset, link or service.",
        mixinStandardHelpOptions = true)
final class HistoryCli implements Callable<Integer> {
    /** Events asked per request. */
    static final int PAGE = 500;

    @Parameters(index = "0", paramLabel = "SUBJECT", description = "a server (storage-01), a dataset"
            + " (storage-01:tank/vm1), a link (storage-01:tank/vm1->standby-01:tank/vm1) or a service (vm-storage)")
    String subject;
    @Option(names = "--since", paramLabel = "T", description = "only events at or after T (2026-11-30T03:12:00Z)")
    Instant since;
    @Option(names = "--until", paramLabel = "T", description = "only events at or before T")
    Instant until;
    @Option(names = "--type", paramLabel = "A,B", split = ",", description = "only events of these types")
    List<String> types;
    @Option(names = "--json", description = "one JSON object per line instead of the timeline")
    boolean json;
    @Mixin
    ControllerClient.Url controller;

    private final Terminal terminal;

    HistoryCli(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        try {
            return print(controller.client(), terminal.out(), terminal.err(), terminal.zone());
        } catch (ControllerClient.Unreachable e) {
            terminal.err().println("zsentinel: " + e.getMessage());
            return 1;
        }
    }

    private int print(ControllerClient api, PrintStream out, PrintStream err, ZoneId zone)
            throws ControllerClient.Unreachable, InterruptedException {
        StringBuilder filters = new StringBuilder("&limit=" + PAGE);
        if (since != null) {
            filters.append("&since=").append(since);
        }
        if (until != null) {
            filters.append("&until=").append(until);
        }
        if (types != null && !types.isEmpty()) {
            filters.append("&type=").append(ControllerClient.segment(String.join(",", types)));
        }
        int printed = 0;
        long after = -1;
        while (true) {
            ControllerClient.Answer page = api.get("/api/history?subject=" + ControllerClient.segment(subject)
                    + filters + (after >= 0 ? "&after=" + after : ""));
            if (!page.ok()) {
                page.printRefusal(err);
                return 1;
            }
            for (JsonNode entry : page.body().path("events")) {
                out.println(json ? entry.toString() : line(entry, zone));
                printed++;
            }
            if (!page.body().hasNonNull("next")) {
                break;
            }
            after = page.body().path("next").asLong();
        }
        if (printed == 0 && !json) {
            out.println("no events of " + TerminalText.of(subject) + " match");
        }
        return 0;
    }

    /** {@code 2026-12-02 10:00:00  #12  ServerDeclaredFailed  field=value, …} in the operator's time zone. */
    static String line(JsonNode entry, ZoneId zone) {
        StringBuilder fields = new StringBuilder();
        Iterator<Map.Entry<String, JsonNode>> it = entry.path("event").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            if (fields.length() > 0) {
                fields.append(", ");
            }
            JsonNode value = field.getValue();
            fields.append(field.getKey()).append('=').append(value.isValueNode() ? value.asText() : value.toString());
        }
        return TerminalText.time(entry, "at", zone) + "  #" + entry.path("sequence").asLong() + "  "
                + TerminalText.of(entry.path("type").asText()) + "  " + TerminalText.shorten(TerminalText.of(
                fields.toString()), 400, "--json shows every field");
    }
}
