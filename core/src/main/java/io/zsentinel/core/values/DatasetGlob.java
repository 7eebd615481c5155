package io.zsentinel.core.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A pattern over dataset names, as the configuration writes them: {@code *} any characters but '/', {@code **}
 * anything, {@code ?} one character but '/'; anything else stands for itself ({@code tank/vm*}).
 */
public record DatasetGlob(@JsonValue String text) {
    /** Compiled once per pattern: rules are matched against every dataset on every tick. */
    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public DatasetGlob {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a dataset pattern is required: a dataset name or a pattern such as tank/vm*");
        }
    }

    public static DatasetGlob of(String text) {
        return new DatasetGlob(text);
    }

    public Pattern pattern() {
        return COMPILED.computeIfAbsent(text, DatasetGlob::compile);
    }

    public boolean matches(DatasetName dataset) {
        return pattern().matcher(dataset.value()).matches();
    }

    /**
     * Whether every name this pattern matches is also matched by {@code wider}, judged by reading this pattern as a
     * name ({@code tank/**} covers {@code tank/vm*}; {@code tank/vm1} does not). Exact for the patterns operators
     * write; a {@code ?} in {@code wider} facing a {@code *} here is taken as covering it.
     */
    public boolean coveredBy(DatasetGlob wider) {
        return wider.pattern().matcher(text).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
