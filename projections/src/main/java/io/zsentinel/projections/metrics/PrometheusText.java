package io.zsentinel.projections.metrics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * Prometheus text exposition format 0.0.4, written by hand (no client library on a storage host).
 * A family's HELP and TYPE come once, then all of its samples: the format forbids interleaving.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder();

    /** Starts a gauge family. */
    public PrometheusText gauge(String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        return this;
    }

    /** Starts a counter family (a value that only grows while the process runs; name it {@code *_total}). */
    public PrometheusText counter(String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        return this;
    }

    /** {@code labels} in the order given (use a LinkedHashMap); NaN where a value is unknown. */
    public PrometheusText sample(String name, Map<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(label.getKey()).append("=\"").append(escapeLabel(label.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** Seconds since the epoch with millisecond precision; NaN for null ("never"). */
    public static double seconds(Instant at) {
        return at == null ? Double.NaN : at.toEpochMilli() / 1000.0;
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** HELP text escapes backslash and line feed only. */
    static String escapeHelp(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Integers without exponent or ".0"; others in plain decimal; NaN and ±Inf as the format spells them. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
