package io.zsentinel.projections.web;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the HTTP transport does besides routing: body limit, error ids, refusals before routing, ports, stopping. */
class ApiServerTransportTest {
    private static final String JSON = "application/json; charset=utf-8";

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private ApiServer api;

    @BeforeEach
    void start() throws IOException {
        ((Logger) LoggerFactory.getLogger(ApiServer.class)).addAppender(logged);
        logged.start();
        Routes routes = new Routes()
                .post("/api/echo", request -> ApiResponse.json(Map.of("length", request.body().length())))
                .get("/api/datasets/{name}", request -> ApiResponse.json(Map.of("name", request.pathParam("name"))))
                .get("/api/boom", request -> {
                    throw new IllegalStateException("secret internals");
                })
                .get("/api/slow", request -> {
                    entered.countDown();
                    assertTrue(release.await(60, TimeUnit.SECONDS));
                    return ApiResponse.json(Map.of("finished", true));
                });
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), routes, 2);
    }

    @AfterEach
    void stop() {
        release.countDown();
        api.close();
        ((Logger) LoggerFactory.getLogger(ApiServer.class)).detachAppender(logged);
    }

    @Test
    void aBodyUpToTheLimitIsReadAndALargerOneIsRefusedWithJson() throws Exception {
        HttpResponse<String> small = post("/api/echo", "x".repeat(ApiServer.MAX_BODY_BYTES));
        assertJson(200, small);
        assertEquals(ApiServer.MAX_BODY_BYTES, mapper.readTree(small.body()).get("length").asInt());

        HttpResponse<String> large = post("/api/echo", "x".repeat(ApiServer.MAX_BODY_BYTES + 1));
        assertJson(400, large);
        assertTrue(mapper.readTree(large.body()).get("error").asText().contains("larger than 65536 bytes"), large.body());
    }

    @Test
    void aDefectIsA500WhoseErrorIdLeadsToTheOneLogEntryWithTheStackTrace() throws Exception {
        HttpResponse<String> boom = get("/api/boom");
        assertJson(500, boom);
        JsonNode body = mapper.readTree(boom.body());
        Matcher id = Pattern.compile("\\(error id ([0-9a-f]{8})\\)").matcher(body.get("error").asText());
        assertTrue(id.find(), boom.body());
        assertTrue(body.get("hint").asText().contains(id.group(1)), boom.body());
        assertTrue(!boom.body().contains("secret internals"), boom.body());
        assertEquals(1, logged.list.stream().filter(e -> e.getFormattedMessage().contains("error id " + id.group(1))
                && e.getThrowableProxy() != null && e.getThrowableProxy().getMessage().equals("secret internals")).count(),
                logged.list.toString());
    }

    @Test
    void anEncodedSlashStaysInItsSegmentAndAMalformedEscapeIsA400InJson() throws Exception {
        HttpResponse<String> encoded = get("/api/datasets/primary%2Fvm1%2B1%3Bx");
        assertJson(200, encoded);
        assertEquals("primary/vm1+1;x", mapper.readTree(encoded.body()).get("name").asText());

        // the JDK client refuses to send a malformed escape, so write the request by hand
        String answer = raw("GET /api/datasets/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.toLowerCase().contains("content-type: " + JSON), answer);
        JsonNode body = mapper.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertTrue(body.get("hint").asText().contains("encodeURIComponent"), answer);
    }

    @Test
    void portZeroPicksAFreePortAndABusyPortIsAnIOException() throws Exception {
        assertTrue(api.port() > 0);
        try (ApiServer second = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), new Routes(), 2)) {
            assertNotEquals(api.port(), second.port());
        }
        assertThrows(IOException.class, () -> ApiServer.start(new InetSocketAddress("127.0.0.1", api.port()),
                new Routes(), 2).close());
        assertJson(404, get("/api/nothing"));
    }

    @Test
    void closingLetsARequestInProgressFinishAndThenRefusesConnections() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(request("/api/slow").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(60, TimeUnit.SECONDS));
        int port = api.port();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(api::close);
        await().atMost(Duration.ofSeconds(30)).until(() -> refused(port));
        release.countDown();
        HttpResponse<String> finished = slow.get(60, TimeUnit.SECONDS);
        assertJson(200, finished);
        assertTrue(mapper.readTree(finished.body()).get("finished").asBoolean());
        closed.get(60, TimeUnit.SECONDS);
    }

    private static boolean refused(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).timeout(Duration.ofSeconds(60));
    }

    private static void assertJson(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(JSON, response.headers().firstValue("Content-Type").orElseThrow());
    }
}
