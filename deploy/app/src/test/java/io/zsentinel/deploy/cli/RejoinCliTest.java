package io.zsentinel.deploy.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code zsentinel rejoin} and {@code zsentinel rescue list|release} against a controller that answers as the REST
 * routes do: what is sent (dry run, operator, reason, name) and what the operator reads (common snapshot, what lies
 * after it, where it is kept; refusals with exit 1).
 */
class RejoinCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> requests = new ArrayList<>();
    private HttpServer server;
    private volatile int status = 200;
    private volatile String answer = "{}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aDryRunShowsPerDatasetTheCommonSnapshotWhatLiesAfterItAndWhereItWouldBeKept() {
        answer = """
                {"server":"storage-01","dryRun":true,"services":[{"service":"vm-storage","newPrimary":"standby-01",
                 "generation":2,"status":"dry-run","refusals":[],"datasets":[{"dataset":"tank/vm1","copy":"standby/vm1",
                 "common":"s3","commonGuid":"123","commonCreated":"2026-12-02T10:00:00Z","snapshotsAfter":["s4"],
                 "bytesAfter":4096,"bytesHow":"net growth","keptAs":"tank/zsentinel-rescue/vm1-20261202T100500Z"}]}]}""";
        assertEquals(0, run("rejoin", "storage-01", "--dry-run"), err());
        assertTrue(requests.get(0).startsWith("POST /api/servers/storage-01/rejoin "), requests.toString());
        assertTrue(requests.get(0).contains("\"dryRun\":true") && requests.get(0).contains("tester@host"),
                requests.toString());
        assertTrue(out().contains("vm-storage: dry-run (new primary standby-01, generation 2)"), out());
        assertTrue(out().contains("tank/vm1 <- standby/vm1: common snapshot @s3 (guid 123"), out());
        assertTrue(out().contains("after it: @s4; bytes: 4096 (net growth)"), out());
        assertTrue(out().contains("kept as: tank/zsentinel-rescue/vm1-20261202T100500Z"), out());
    }

    @Test
    void aRefusedRejoinPrintsEveryReasonAndFails() {
        status = 409;
        answer = """
                {"server":"storage-01","dryRun":false,"services":[{"service":"vm-storage","newPrimary":"standby-01",
                 "generation":2,"status":"refused","refusals":["storage-01 is failed: its agent does the rejoin"],
                 "datasets":[]}]}""";
        assertEquals(1, run("rejoin", "storage-01", "--reason", "repaired"));
        assertTrue(requests.get(0).contains("\"dryRun\":false") && requests.get(0).contains("repaired"),
                requests.toString());
        assertTrue(out().contains("refused: storage-01 is failed: its agent does the rejoin"), out());
    }

    @Test
    void rescuesAreListedAndReleasedByNameWithAReason() {
        answer = """
                [{"name":"storage-01:tank/zsentinel-rescue/vm1-t","server":"storage-01",
                 "rescue":"tank/zsentinel-rescue/vm1-t","dataset":"tank/vm1","service":"vm-storage",
                 "keptAt":"2026-12-02T10:05:00Z","fromSnapshot":"s3","snapshotsAfter":["s4"],"bytesAfter":4096,
                 "snapshotsUsedBytes":8192,"status":"kept","lastRefusal":null}]""";
        assertEquals(0, run("rescue", "list"), err());
        assertTrue(out().contains("storage-01:tank/zsentinel-rescue/vm1-t  kept 2026-12-02T10:05:00Z from "
                + "storage-01:tank/vm1 after @s3 (service vm-storage), 8192 bytes in its snapshots"), out());

        status = 202;
        answer = "{\"status\":\"releasing\"}";
        assertEquals(2, run("rescue", "release", "storage-01:tank/zsentinel-rescue/vm1-t"), "a release needs --reason");
        assertEquals(0, run("rescue", "release", "storage-01:tank/zsentinel-rescue/vm1-t", "--reason", "copied"),
                err());
        String sent = requests.get(requests.size() - 1);
        assertTrue(sent.startsWith("POST /api/rescues/release ") && sent.contains("\"reason\":\"copied\"")
                && sent.contains("\"name\":\"storage-01:tank/zsentinel-rescue/vm1-t\""), sent);
    }

    private int run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
        return Main.commandLine(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> "tester@host", d -> { }, ZoneOffset.UTC))
                .execute(all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
