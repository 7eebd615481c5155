package io.zsentinel.projections.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A path such as {@code /api/datasets/{name}/snapshots}, matched against the raw (still encoded)
 * path: a dataset name travels as {@code primary%2Fvm1}, and decoding before splitting would turn
 * its '/' into a path separator.
 */
final class PathTemplate {
    private final String template;
    private final String[] segments;

    PathTemplate(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + template);
        }
        this.template = template;
        this.segments = template.split("/", -1);
    }

    /** The decoded path parameters, or empty if the path does not match. */
    Optional<Map<String, String>> match(String rawPath) {
        String[] parts = rawPath.split("/", -1);
        if (parts.length != segments.length) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String segment = segments[i];
            if (isParameter(segment)) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(segment.substring(1, segment.length() - 1), decodeSegment(parts[i]));
            } else if (!segment.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /**
     * {@code rawPath} with one parameter's unencoded '/' encoded as %2F, if that makes it match: the
     * usual mistake with a dataset name ({@code /api/datasets/primary/vm1/snapshots}).
     */
    Optional<String> withSlashesEncoded(String rawPath) {
        String[] parts = rawPath.split("/", -1);
        int extra = parts.length - segments.length;
        for (int p = 0; extra > 0 && p < segments.length; p++) {
            if (!isParameter(segments[p])) {
                continue;
            }
            String[] joined = new String[segments.length];
            for (int i = 0; i < segments.length; i++) {
                joined[i] = i < p ? parts[i] : i > p ? parts[i + extra]
                        : String.join("%2F", Arrays.copyOfRange(parts, p, p + extra + 1));
            }
            String candidate = String.join("/", joined);
            if (match(candidate).isPresent()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return template;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** In a path '+' is a plus, not a space (URLDecoder follows form encoding). */
    static String decodeSegment(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed percent-encoding in path segment \"" + raw + "\"",
                    "encode each path segment with encodeURIComponent, e.g. primary%2Fvm1");
        }
    }
}
