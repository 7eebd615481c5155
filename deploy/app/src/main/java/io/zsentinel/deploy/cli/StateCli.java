package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;

/**
 * {@code zsentinel state --as-of T [--json]}: the fleet as it stood at {@code T} ({@code GET /api/state}), replayed
 * from the event store by the controller: servers, services, links and dataset counts. Exit codes: 0 done, 1 refused
 * or no controller, 2 the command line is wrong.
 */
@Command(name = "state", description = "Shows the fleet as it stood at an instant, replayed from the event store.",
        mixinStandardHelpOptions = true)
final class StateCli implements Callable<Integer> {
    @Option(names = "--as-of", required = true, paramLabel = "T", description = "the instant (2026-11-30T03:12:00Z)")
    Instant asOf;
    @Option(names = "--json", description = "the controller's answer as it is")
    boolean json;
    @Mixin
    ControllerClient.Url controller;

    private final Terminal terminal;

    StateCli(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        try {
            ControllerClient.Answer answer = controller.client().get("/api/state?asOf=" + asOf);
            if (!answer.ok()) {
                answer.printRefusal(terminal.err());
                return 1;
            }
            if (json) {
                terminal.out().println(answer.body().toString());
            } else {
                print(answer.body(), terminal.out(), terminal.zone());
            }
            return 0;
        } catch (ControllerClient.Unreachable e) {
            terminal.err().println("zsentinel: " + e.getMessage());
            return 1;
        }
    }

    static void print(JsonNode state, PrintStream out, ZoneId zone) {
        out.println("as of " + TerminalText.time(state, "asOf", zone) + " (" + state.path("events").asLong()
                + " events replayed; liveness is not history: health as recorded)");
        Table servers = new Table("SERVER", "REGISTERED", "HEALTH", "MAINTENANCE", "DECLARED FAILED");
        for (JsonNode s : state.path("servers")) {
            servers.row(TerminalText.field(s, "server"), TerminalText.time(s, "registeredAt", zone),
                    TerminalText.field(s, "health"), s.path("maintenance").asBoolean() ? "on" : "off",
                    TerminalText.time(s, "declaredFailedAt", zone));
        }
        out.print(servers.isEmpty() ? "no servers registered\n" : servers.format());
        Table services = new Table("SERVICE", "PRIMARY", "GENERATION", "STATE");
        for (JsonNode s : state.path("services")) {
            services.row(TerminalText.field(s, "service"), TerminalText.field(s, "primary"),
                    s.path("generation").asText(), TerminalText.field(s, "state"));
        }
        if (!services.isEmpty()) {
            out.print(services.format());
        }
        Table links = new Table("LINK", "STATE", "LAG");
        for (JsonNode l : state.path("links")) {
            links.row(TerminalText.field(l, "id"), TerminalText.field(l, "state"),
                    l.hasNonNull("lagSeconds") ? l.path("lagSeconds").asLong() + " s" : "-");
        }
        if (!links.isEmpty()) {
            out.print(links.format());
        }
        out.println(state.path("datasets").asInt() + " datasets, " + state.path("snapshots").asLong() + " snapshots");
    }
}
