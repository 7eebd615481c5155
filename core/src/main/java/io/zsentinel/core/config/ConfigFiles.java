package io.zsentinel.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads YAML configuration into records; every error names the file, line and reason. */
public final class ConfigFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigFiles() {
    }

    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such configuration file");
        }
        try {
            return parse(Files.readString(file), file.toString(), type);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    public static <T> T parse(String yaml, String fileName, Class<T> type) {
        try {
            T value = YAML.readValue(yaml, type);
            if (value == null) {
                throw new ConfigException(fileName + ": is empty");
            }
            return value;
        } catch (JsonMappingException e) {
            ConfigProblem problem = problemIn(e);
            String line = e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u
                    ? lineOfKey(yaml, u.getPropertyName())
                    : problem != null ? lineOf(yaml, problem, where(e.getLocation())) : where(e.getLocation());
            throw new ConfigException(fileName + line + ": " + reason(e), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(fileName + where(e.getLocation()) + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Records are read through a buffer, so Jackson reports an unknown key where it stopped reading,
     * not where the key is; the key's own line is what the operator needs.
     */
    private static String lineOfKey(String yaml, String key) {
        java.util.regex.Pattern keyPattern = keyPattern(key);
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (keyPattern.matcher(lines[i]).find()) {
                return ":" + (i + 1);
            }
        }
        return "";
    }

    /** {@code key:} as a YAML key, in block or flow style, first in a list entry or not. */
    private static java.util.regex.Pattern keyPattern(String key) {
        return java.util.regex.Pattern.compile("(^|[\\s{,])\"?" + java.util.regex.Pattern.quote(key) + "\"?\\s*:");
    }

    private static ConfigProblem problemIn(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConfigProblem p) {
                return p;
            }
        }
        return null;
    }

    /** The line of {@code problem}'s key within its entry (the first one at or after the entry's anchor line). */
    private static String lineOf(String yaml, ConfigProblem problem, String otherwise) {
        java.util.regex.Pattern anchor = java.util.regex.Pattern.compile("(^|[\\s{,])\"?"
                + java.util.regex.Pattern.quote(problem.anchorKey()) + "\"?\\s*:\\s*[\"']?"
                + java.util.regex.Pattern.quote(problem.anchorValue()) + "[\"']?\\s*($|[,}#])");
        java.util.regex.Pattern key = problem.key() == null ? null : keyPattern(problem.key());
        java.util.regex.Pattern nextEntry = keyPattern(problem.anchorKey());
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (anchor.matcher(lines[i]).find()) {
                for (int j = i; key != null && j < lines.length && (j == i || !nextEntry.matcher(lines[j]).find()); j++) {
                    if (key.matcher(lines[j]).find()) {
                        return ":" + (j + 1);
                    }
                }
                return ":" + (i + 1); // the key is not in the entry (missing): the entry's own line
            }
        }
        return otherwise;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : ":" + location.getLineNr();
    }

    private static String reason(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
        Throwable root = problemIn(e); // its message says it all; its causes say less
        if (root == null) {
            root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
        }
        String message = root instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : root.getMessage();
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            message = "unknown setting \"" + u.getPropertyName() + "\"; known: " + u.getKnownPropertyIds();
        }
        String firstLine = message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
        return (path.isEmpty() ? "" : path + ": ") + firstLine;
    }
}
