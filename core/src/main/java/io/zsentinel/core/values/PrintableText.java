package io.zsentinel.core.values;

/**
 * Text a person typed that zsentinel later shows in terminals and logs (an operator's name, a reason).
 * Characters a terminal acts on instead of showing are refused on the way in (ESC starts colour and
 * window-title sequences, CR and LF forge lines, bidi controls reorder them) and escaped on the way
 * out, since text stored before the check, or reported by an agent, may hold them.
 */
public final class PrintableText {
    private PrintableText() {
    }

    /**
     * {@code text} as given, or an IllegalArgumentException that names {@code field}, the character and
     * where it is. Null passes: whether a field is required is the caller's rule.
     */
    public static String require(String field, String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int c = text.codePointAt(i);
            if (!isPrintable(c)) {
                throw new IllegalArgumentException("\"" + field + "\" contains " + describe(c) + " at character "
                        + (i + 1) + ": it must be printable text on one line, since terminals act on such characters"
                        + " (colours, window titles, forged lines)");
            }
        }
        return text;
    }

    /** {@code text} with every unprintable character spelt out ({@code \e}, {@code \n}, {@code \u009b} ...). */
    public static String escape(String text) {
        if (text == null || text.codePoints().allMatch(PrintableText::isPrintable)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (isPrintable(c)) {
                out.appendCodePoint(c);
            } else {
                out.append(switch (c) {
                    case 0x1b -> "\\e";
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", c);
                });
            }
        });
        return out.toString();
    }

    /** Control (C0, DEL, C1), format (bidi, zero-width), line and paragraph separators, lone surrogates. */
    static boolean isPrintable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> false;
            default -> true;
        };
    }

    private static String describe(int c) {
        if (c == 0x1b) {
            return "an escape character (U+001B)";
        }
        return c <= Character.MAX_VALUE && Character.isISOControl(c) ? ZfsNames.describe((char) c)
                : String.format("the invisible character U+%04X", c);
    }
}
