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
     * Whether every name this pattern matches is also matched by {@code wider} ({@code tank/**} covers
     * {@code tank/vm*}; {@code tank/vm1} does not), judged on this pattern read as a name in which each wildcard
     * stands for more than one character ({@code *} as {@code *x*}, {@code **} as {@code *x/x*}), so that a narrower
     * wildcard of {@code wider} cannot pass for it.
     */
    public boolean coveredBy(DatasetGlob wider) {
        String name = text.replace("**", "\0").replace("*", "*x*").replace("\0", "*x/x*");
        return wider.pattern().matcher(name).matches();
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
