package io.zsentinel.projections.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zsentinel.core.messages.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The JDK's HTTP server in front of a {@link Routes} table. Every failure becomes a JSON body with an
 * error and a hint; an unexpected one is logged here, once, and its stack trace never leaves the process.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final int BACKLOG = 64;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Routes routes;
    private final Supplier<Optional<String>> staleness;
    private final ObjectMapper json = Json.newMapper();

    /** Set on every {@code /api/} answer served while the controller is not ready: why it may be stale. */
    public static final String STALE_HEADER = "X-Zsentinel-Stale";

    private ApiServer(HttpServer server, ExecutorService executor, Routes routes, Supplier<Optional<String>> staleness) {
        this.server = server;
        this.executor = executor;
        this.routes = routes;
        this.staleness = staleness;
    }

    /** Binds {@code address} (port 0 picks a free port) and starts serving on {@code threads} threads. */
    public static ApiServer start(InetSocketAddress address, Routes routes, int threads) throws IOException {
        return start(address, routes, threads, Optional::empty);
    }

    /**
     * As above; {@code staleness} says why the data may be old (e.g. {@link HealthEndpoint#notReady()}),
     * and every {@code /api/} answer then carries it in {@link #STALE_HEADER}.
     */
    public static ApiServer start(InetSocketAddress address, Routes routes, int threads,
                                  Supplier<Optional<String>> staleness) throws IOException {
        HttpServer http = HttpServer.create(address, BACKLOG);
        ExecutorService executor = Executors.newFixedThreadPool(threads, namedDaemons());
        ApiServer api = new ApiServer(http, executor, routes, staleness);
        http.createContext("/", api::serve);
        http.setExecutor(executor);
        http.start();
        log.info("API listening on {}:{}", address.getHostString(), api.port());
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        // No grace period: the API holds no state a client could lose, and stop(n) may wait all n seconds.
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) {
        try (exchange) {
            write(exchange, respond(exchange));
        } catch (IOException e) {
            log.debug("client went away during {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                    e.toString());
        } catch (RuntimeException e) {
            log.error("cannot write the response to {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private ApiResponse respond(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        try {
            Routes.Lookup lookup = routes.lookup(method, rawPath);
            String body = readBody(exchange.getRequestBody());
            if (lookup instanceof Routes.Lookup.Found found) {
                ApiRequest request = new ApiRequest(method, rawPath, found.pathParams(),
                        ApiRequest.parseQuery(exchange.getRequestURI().getRawQuery()), body,
                        firstValues(exchange.getRequestHeaders()));
                return stale(rawPath, encoded(found.handler().handle(request)));
            }
            if (lookup instanceof Routes.Lookup.MethodNotAllowed notAllowed) {
                String allowed = String.join(", ", notAllowed.allowed());
                return encoded(ApiResponse.error(405, method + " is not supported on " + rawPath, "use " + allowed)
                        .withHeader("Allow", allowed));
            }
            if (lookup instanceof Routes.Lookup.NotFound notFound && notFound.encodedPath() != null) {
                String query = exchange.getRequestURI().getRawQuery();
                String url = notFound.encodedPath() + (query == null ? "" : "?" + query);
                return encoded(ApiResponse.error(404, "no such resource: " + rawPath + " (a '/' in a dataset name"
                        + " or link id splits the path)", "encode the name as one path segment, '/' as %2F: " + url));
            }
            return encoded(ApiResponse.error(404, "no such resource: " + rawPath,
                    "GET / for the dashboard; the API is under /api (datasets, servers) and /health"));
        } catch (ApiException e) {
            return encoded(ApiResponse.error(e.status(), e.getMessage(), e.hint()));
        } catch (Exception e) {
            // not a refusal: a defect; the id ties the answer to the one log entry with the stack trace
            String id = errorId();
            log.error("{} {} failed (error id {})", method, exchange.getRequestURI(), id, e);
            return encoded(ApiResponse.error(500, "internal error while serving " + rawPath + " (error id " + id + ")",
                    "the controller log has the details under error id " + id + "; retry, and report it if it persists"));
        }
    }

    /** A short random id for one internal error: 8 hex digits. */
    static String errorId() {
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    private ApiResponse stale(String rawPath, ApiResponse response) {
        if (!rawPath.startsWith("/api/")) {
            return response;
        }
        return staleness.get().map(why -> response.withHeader(STALE_HEADER, headerText(why))).orElse(response);
    }

    /** A header value is one line of printable ASCII. */
    private static String headerText(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 300));
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    /** Serializes inside the handler's try, so that a body Jackson cannot write is a logged 500. */
    private ApiResponse encoded(ApiResponse response) throws IOException {
        if (response.body() instanceof byte[]) {
            return response;
        }
        return new ApiResponse(response.status(), response.contentType(), json.writeValueAsBytes(response.body()),
                response.headers());
    }

    private void write(HttpExchange exchange, ApiResponse response) throws IOException {
        byte[] body = (byte[]) response.body();
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        response.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Operator commands are small JSON objects; a larger body is refused rather than buffered. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** Reads the whole body (also an unused one: that lets the connection be reused). */
    private static String readBody(InputStream in) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                in.transferTo(OutputStream.nullOutputStream());
                throw ApiException.badRequest("request body larger than " + MAX_BODY_BYTES + " bytes",
                        "send a small JSON object");
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> firstValues(Headers headers) {
        Map<String, String> first = new HashMap<>();
        headers.forEach((name, values) -> {
            if (name != null && !values.isEmpty()) {
                first.put(name, values.get(0));
            }
        });
        return first;
    }

    private static ThreadFactory namedDaemons() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "zsentinel-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
