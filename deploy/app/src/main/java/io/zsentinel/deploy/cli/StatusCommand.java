package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.projections.web.ApiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code zsentinel status}: the fleet, its datasets and replication links as tables, read from the controller's API. */
@Command(name = "status", description = "Servers, datasets and replication links as the controller sees them (times in your zone: TZ).")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ControllerClient.Url controller;
    @Option(names = "--full", description = "print long notes (why a link fails) whole rather than shortened")
    boolean full;

    private final Terminal terminal;

    StatusCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        return print(controller.url, terminal.out(), terminal.zone(), full);
    }

    /** Times in {@code zone}; {@code full}: long notes whole (wrapped) rather than shortened. */
    static int print(String baseUrl, PrintStream out, ZoneId zone, boolean full) throws Exception {
        ObjectMapper json = Json.newMapper();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        JsonNode servers;
        JsonNode datasets;
        JsonNode links;
        try {
            JsonNode health = healthOf(json, http, baseUrl);
            JsonNode role = health.path("checks").path("controller");
            if (!role.isMissingNode()) { // which controller of the cell answers, and its lease's epoch
                out.println("controller: " + TerminalText.of(role.path("detail").asText()));
                if ("STANDBY".equals(health.path("status").asText())) {
                    out.println("this controller is a standby and serves nothing else; ask the active one (--url)");
                    return 1;
                }
                out.println();
            }
            HttpResponse<String> fleetAnswer = fetch(http, baseUrl + "/api/servers");
            servers = json.readTree(fleetAnswer.body());
            // the controller says so while its views or its consumer are behind: say it before the tables
            fleetAnswer.headers().firstValue(ApiServer.STALE_HEADER).ifPresent(why -> out.println("controller not ready ("
                    + TerminalText.of(why) + "): what follows may be out of date"));
            datasets = json.readTree(get(http, baseUrl + "/api/datasets"));
            String linkText = getIfServed(http, baseUrl + "/api/replication/links");
            links = linkText == null ? null : json.readTree(linkText);
        } catch (java.io.IOException e) {
            throw new UsageException("no controller answers at " + baseUrl + " (" + e.getMessage()
                    + "); start one, or give --url");
        }
        Table fleet = new Table("SERVER", "STATUS", "LAST HEARTBEAT", "POOLS");
        for (JsonNode s : servers) {
            List<String> pools = new ArrayList<>();
            for (JsonNode p : s.path("pools")) {
                pools.add(p.path("pool").asText() + " " + p.path("health").asText() + " " + p.path("capacityPercent").asInt() + "%");
            }
            fleet.row(s.path("server").asText(), s.path("status").asText(), TerminalText.time(s, "lastHeartbeat", zone),
                    String.join("  ", pools));
        }
        out.print(fleet.isEmpty() ? "no servers heard from yet\n" : fleet.format());
        out.println();
        Table inventory = new Table("SERVER", "DATASET", "SNAPSHOTS", "NEWEST").alignRight(2);
        for (JsonNode d : datasets) {
            inventory.row(d.path("server").asText(), d.path("dataset").asText(), d.path("snapshotCount").asInt(),
                    d.path("newestSnapshot").asText("-"));
        }
        out.print(inventory.isEmpty() ? "no datasets reported yet\n" : inventory.format());
        if (links != null) {
            out.println();
            out.print(LinkTable.format(links, zone, full));
        }
        printHeldBack(datasets, out);
        return 0;
    }

    /** What replication links hold back of their sources' retention; nothing is printed while nothing is held. */
    static void printHeldBack(JsonNode datasets, PrintStream out) {
        boolean first = true;
        for (JsonNode d : datasets) {
            for (JsonNode held : d.path("retentionHeldBack")) {
                if (first) {
                    out.println();
                    out.println("RETENTION HELD BACK");
                    first = false;
                }
                out.println("  " + TerminalText.of(held.path("summary").asText()));
            }
        }
    }

    /** The controller's /health answer (any status), a missing node when it has none or it is not JSON. */
    private static JsonNode healthOf(ObjectMapper json, HttpClient http, String baseUrl) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        try {
            return json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** Null when the controller has no such route (an older one, without replication links). */
    private static String getIfServed(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new java.io.IOException("HTTP " + response.statusCode() + " from " + url);
        }
        return response.body();
    }

    private static String get(HttpClient http, String url) throws Exception {
        return fetch(http, url).body();
    }

    private static HttpResponse<String> fetch(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new java.io.IOException("HTTP " + response.statusCode() + " from " + url);
        }
        return response;
    }
}
