package io.zsentinel.core.zfs;

import java.math.BigDecimal;
import java.util.Locale;

/** Reads zfs' sizes: exact bytes ("1048576") or its rounded binary units ("1.07M", "640K", "0B", "45%"). */
final class HumanSize {
    private static final String UNITS = "BKMGTPE";

    private HumanSize() {
    }

    static long bytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("-")) {
            throw new NumberFormatException("no size in \"" + text + "\"");
        }
        char last = t.charAt(t.length() - 1);
        int unit = UNITS.indexOf(last);
        if (unit < 0) {
            return Long.parseLong(t);
        }
        BigDecimal number = new BigDecimal(t.substring(0, t.length() - 1));
        return number.multiply(BigDecimal.valueOf(1L << (10 * unit))).setScale(0, java.math.RoundingMode.HALF_UP)
                .longValueExact();
    }

    static int percent(String text) {
        String t = text.trim();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1);
        }
        return Integer.parseInt(t);
    }
}
