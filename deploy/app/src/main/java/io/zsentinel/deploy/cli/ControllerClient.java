package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** The controller's REST API as the CLI uses it: JSON in, JSON out, the status code kept. */
final class ControllerClient {
    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    /** {@code --url}: the controller a command asks (inherited by a subcommand, as checkpoint's release). */
    static final class Url {
        @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL", defaultValue = DEFAULT_URL,
                description = "the controller's API (default: ${DEFAULT-VALUE})")
        String url;

        ControllerClient client() {
            return new ControllerClient(url);
        }
    }

    /** A request the controller could not be asked: the message says where and what to do. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    /**
     * The request fields an operator sets with a flag. A REST refusal names the JSON field ("to"); the CLI
     * shows the flag (--to) instead, except in a JSON example ("to": ...).
     */
    private static final Map<String, String> FLAGS = Map.of("reason", "--reason", "operator", "--operator",
            "to", "--to", "server", "--server", "destroyNewer", "--destroy-newer", "rollbackTarget", "--rollback-target");
    private static final Pattern FIELD = Pattern.compile("\"(" + String.join("|", FLAGS.keySet()) + ")\"(?!\\s*:)");

    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The refusal as the operator reads it: escaped, in the command line's words. */
        String error() {
            return inFlags(TerminalText.of(body.path("error").asText("HTTP " + status)));
        }

        String hint() {
            return inFlags(TerminalText.of(body.path("hint").asText("")));
        }

        /** {@code zsentinel: refused (HTTP 409): ...} and the hint, if any. */
        void printRefusal(PrintStream err) {
            err.println("zsentinel: refused (HTTP " + status + "): " + error());
            if (!hint().isEmpty()) {
                err.println("  hint: " + hint());
            }
        }

        private static String inFlags(String text) {
            return FIELD.matcher(text).replaceAll(m -> FLAGS.get(m.group(1)));
        }
    }

    private final String baseUrl;
    private final ObjectMapper json = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    ControllerClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    Answer get(String path) throws Unreachable, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer post(String path, Object body) throws Unreachable, InterruptedException {
        try {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request: " + e.getOriginalMessage(), e);
        }
    }

    /** One path segment: a dataset's '/' must travel as %2F, and a space as %20, not '+'. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private URI uri(String path) throws Unreachable {
        try {
            return URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("\"" + baseUrl + "\" is not a URL; give --url http://host:port");
        }
    }

    /** Commands wait for the aggregate, so the timeout is generous. */
    private Answer send(HttpRequest.Builder request) throws Unreachable, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable("no controller answers at " + baseUrl + " (" + e + "); start one, or give --url");
        }
        JsonNode body;
        try {
            body = response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new Unreachable(baseUrl + " answered HTTP " + response.statusCode()
                    + " with something that is not JSON; is --url the zsentinel controller?");
        }
        return new Answer(response.statusCode(), body);
    }
}
