package io.zsentinel.projections.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete response; JSON bodies are serialized by {@link ApiServer}, so handlers return plain objects. */
public record ApiResponse(int status, String contentType, Object body, Map<String, String> headers) {
    public static final String JSON = "application/json; charset=utf-8";
    public static final String HTML = "text/html; charset=utf-8";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(Object body) {
        return json(200, body);
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, JSON, body, Map.of());
    }

    public static ApiResponse html(String page) {
        return new ApiResponse(200, HTML, page.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static ApiResponse error(int status, String error, String hint) {
        return json(status, new ErrorBody(error, hint));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, contentType, body, more);
    }

    /** What every error response looks like: what happened, and what to do next. */
    public record ErrorBody(String error, String hint) {
    }
}
