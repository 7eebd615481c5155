package io.zsentinel.projections.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text exposition read back: each sample as {@code name{label="value",...}} with its labels in
 * name order (the order a writer puts them in is not part of the format), and each family's HELP and TYPE.
 */
public record Exposition(Map<String, Double> samples, Map<String, String> help, Map<String, String> types) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final Pattern COMMENT = Pattern.compile("^# (HELP|TYPE) (\\S+) (.*)$", Pattern.MULTILINE);

    public static Exposition parse(String text) {
        Map<String, Double> samples = new TreeMap<>();
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            samples.put(series(sample.group(1), labels(sample.group(2))), value(sample.group(3)));
        }
        Map<String, String> help = new TreeMap<>();
        Map<String, String> types = new TreeMap<>();
        Matcher comment = COMMENT.matcher(text);
        while (comment.find()) {
            (comment.group(1).equals("HELP") ? help : types).put(comment.group(2), comment.group(3));
        }
        return new Exposition(samples, help, types);
    }

    /** The key of a sample: {@code labels} as name, value pairs, in any order. */
    public static String series(String name, String... labels) {
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        return series(name, sorted);
    }

    /** The sample's value, or an error naming what is there instead. */
    public double value(String name, String... labels) {
        Double value = samples.get(series(name, labels));
        if (value == null) {
            throw new AssertionError("no sample " + series(name, labels) + " in " + samples.keySet());
        }
        return value;
    }

    private static String series(String name, Map<String, String> labels) {
        StringBuilder out = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> out.append(k).append("=\"").append(v).append("\","));
        return out.append('}').toString();
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        Matcher label = LABEL.matcher(text == null ? "" : text);
        while (label.find()) {
            labels.put(label.group(1), label.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return labels;
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
