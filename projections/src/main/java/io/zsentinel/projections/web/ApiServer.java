package io.zsentinel.projections.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Jetty (core handlers, no servlets) in front of a {@link Routes} table. Every failure becomes a JSON body with
 * an error and a hint, also one Jetty refuses before routing (a malformed URI); an unexpected one is logged
 * here, once, and its stack trace never leaves the process.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** How long {@link #close()} lets requests in progress finish before it cuts them off. */
    static final long STOP_GRACE_MILLIS = 5_000;
    /**
     * Raw paths reach the routes as sent: a dataset name travels as one segment with its '/' as %2F
     * ({@link PathTemplate}), which Jetty's default compliance refuses as ambiguous.
     */
    private static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("zsentinel-raw-segments",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER);

    private final Server server;
    private final ServerConnector connector;
    private final GracefulHandler graceful;
    private final Routes routes;
    private final Supplier<Optional<String>> staleness;
    private final ObjectMapper json = Json.newMapper();

    /** Set on every {@code /api/} answer served while the controller is not ready: why it may be stale. */
    public static final String STALE_HEADER = "X-Zsentinel-Stale";

    private ApiServer(InetSocketAddress address, Routes routes, int threads, Supplier<Optional<String>> staleness) {
        this.routes = routes;
        this.staleness = staleness;
        // the acceptor and the selector take a thread each besides the ones serving requests
        QueuedThreadPool pool = new QueuedThreadPool(threads + 2, Math.min(threads + 2, 4));
        pool.setName("zsentinel-api");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setUriCompliance(URI_COMPLIANCE);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        graceful = new GracefulHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        server.setHandler(graceful);
        server.setErrorHandler(new JsonErrorHandler());
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
        ApiServer api = new ApiServer(address, routes, threads, staleness);
        try {
            api.server.start();
        } catch (Exception e) {
            api.close();
            throw e instanceof IOException io ? io
                    : new IOException("cannot start the HTTP server on " + address.getHostString() + ":" + address.getPort()
                    + ": " + e.getMessage(), e);
        }
        log.info("API listening on {}:{}", address.getHostString(), api.port());
        return api;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting, lets requests in progress finish (up to {@link #STOP_GRACE_MILLIS}), then stops. */
    @Override
    public void close() {
        int port = connector.getLocalPort();
        connector.close();
        try {
            graceful.shutdown().get(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("requests to the HTTP server on port {} still running after {} ms are cut off", port,
                    STOP_GRACE_MILLIS);
        } catch (ExecutionException e) {
            log.warn("the HTTP server on port {} could not wait for its requests: {}", port, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("the HTTP server on port {} did not stop cleanly: {}", port, e.toString());
        }
    }

    private void serve(Request request, Response response, Callback callback) {
        String target = request.getMethod() + " " + request.getHttpURI().getPathQuery();
        try {
            write(response, respond(request), callback);
        } catch (IOException | RuntimeException e) {
            log.error("cannot write the response to {}", target, e);
            callback.failed(e);
        }
    }

    private ApiResponse respond(Request request) throws IOException {
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        String rawQuery = request.getHttpURI().getQuery();
        try {
            Routes.Lookup lookup = routes.lookup(method, rawPath);
            String body = readBody(request);
            if (lookup instanceof Routes.Lookup.Found found) {
                ApiRequest apiRequest = new ApiRequest(method, rawPath, found.pathParams(),
                        ApiRequest.parseQuery(rawQuery), body, firstValues(request.getHeaders()));
                return stale(rawPath, encoded(found.handler().handle(apiRequest)));
            }
            if (lookup instanceof Routes.Lookup.MethodNotAllowed notAllowed) {
                String allowed = String.join(", ", notAllowed.allowed());
                return encoded(ApiResponse.error(405, method + " is not supported on " + rawPath, "use " + allowed)
                        .withHeader("Allow", allowed));
            }
            if (lookup instanceof Routes.Lookup.NotFound notFound && notFound.encodedPath() != null) {
                String url = notFound.encodedPath() + (rawQuery == null ? "" : "?" + rawQuery);
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
            log.error("{} {} failed (error id {})", method, request.getHttpURI().getPathQuery(), id, e);
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

    private void write(Response response, ApiResponse answer, Callback callback) {
        byte[] body = (byte[]) answer.body();
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        answer.headers().forEach(headers::put);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Operator commands are small JSON objects; a larger body is refused rather than buffered. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** Reads the whole body, refusing one larger than {@link #MAX_BODY_BYTES} before reading it when it says so. */
    private static String readBody(Request request) throws IOException {
        if (request.getLength() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static ApiException tooLarge() {
        return ApiException.badRequest("request body larger than " + MAX_BODY_BYTES + " bytes", "send a small JSON object");
    }

    private static Map<String, String> firstValues(HttpFields headers) {
        Map<String, String> first = new HashMap<>();
        for (HttpField field : headers) {
            first.putIfAbsent(field.getName(), field.getValue());
        }
        return first;
    }

    /** What Jetty refuses before routing (a malformed URI, headers too large) is JSON too, with a hint. */
    private final class JsonErrorHandler extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : 500;
            String why = request.getAttribute(ERROR_MESSAGE) instanceof String message && !message.isBlank()
                    ? message : HttpStatus.getMessage(status);
            String error = "cannot serve " + request.getMethod() + " " + request.getHttpURI().getPathQuery() + ": " + why;
            String hint = status >= 500 ? "retry, and report it if it persists"
                    : "check the URL: encode each path segment and query parameter with encodeURIComponent (a dataset"
                    + " name's '/' as %2F)";
            try {
                ApiServer.this.write(response, encoded(ApiResponse.error(status, error, hint)), callback);
            } catch (IOException e) {
                callback.failed(e);
            }
            return true;
        }
    }
}
