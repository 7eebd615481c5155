package io.zsentinel.projections.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request after routing: its decoded path parameters, query parameters, body (UTF-8 text) and
 * headers (names in lower case; the first value of each).
 */
public record ApiRequest(String method, String rawPath, Map<String, String> pathParams, Map<String, String> query,
                         String body, Map<String, String> headers) {

    public ApiRequest {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        body = body == null ? "" : body;
        Map<String, String> lower = new LinkedHashMap<>();
        (headers == null ? Map.<String, String>of() : headers)
                .forEach((name, value) -> lower.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
        headers = Map.copyOf(lower);
    }

    public ApiRequest(String method, String rawPath, Map<String, String> pathParams, Map<String, String> query,
                      String body) {
        this(method, rawPath, pathParams, query, body, Map.of());
    }

    public ApiRequest(String method, String rawPath, Map<String, String> pathParams, Map<String, String> query) {
        this(method, rawPath, pathParams, query, "");
    }

    /** HTTP header names are case-insensitive; an empty value counts as absent. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))).filter(v -> !v.isEmpty());
    }

    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter {" + name + "}");
        }
        return value;
    }

    /** A present but empty parameter ({@code ?server=}) counts as absent. */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    /** Form-style decoding ('+' is a space); the first occurrence of a name wins. */
    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> result = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            result.putIfAbsent(name, value);
        }
        return result;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed percent-encoding in \"" + s + "\"",
                    "encode parameters with encodeURIComponent");
        }
    }
}
