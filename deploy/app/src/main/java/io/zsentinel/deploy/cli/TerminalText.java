package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zsentinel.core.values.PrintableText;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Text from the controller as the CLI prints it. Every printer goes through here: stored text (reasons,
 * dataset names reported by agents, zfs errors) may hold characters a terminal would act on, also in
 * events stored before operator input was checked, so it is escaped; times are shown to the second in
 * the operator's zone.
 */
final class TerminalText {
    /** How long a note under a table row may be before it is shortened. */
    static final int NOTE_LENGTH = 160;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private TerminalText() {
    }

    /** {@code text} with every unprintable character spelt out ({@code \e}, {@code \n} ...). */
    static String of(String text) {
        return PrintableText.escape(text);
    }

    /** A text field of a JSON answer, escaped; {@code ""} when absent. */
    static String field(JsonNode node, String field) {
        return of(node.path(field).asText(""));
    }

    /** An instant field as {@code 2025-03-01 11:00:00 CET}; {@code -} when absent, escaped as it is when no instant. */
    static String time(JsonNode node, String field, ZoneId zone) {
        if (!node.hasNonNull(field)) {
            return "-";
        }
        String text = node.path(field).asText();
        try {
            return TIME.format(Instant.parse(text).atZone(zone));
        } catch (DateTimeParseException e) {
            return of(text);
        }
    }

    /** At most {@code max} characters on one line; a longer text ends with how much was left out and where it is. */
    static String shorten(String text, int max, String whereInFull) {
        String line = oneLine(text);
        if (line.length() <= max) {
            return line;
        }
        int cut = line.lastIndexOf(' ', max);
        cut = cut < max / 2 ? max : cut;
        return line.substring(0, cut) + " … (+" + (line.length() - cut) + " characters: " + whereInFull + ")";
    }

    /** Lines of at most {@code width} characters (a longer word gets its own line). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : oneLine(text).split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** Escaped, with line breaks (a multi-line zfs error) read as spaces. */
    private static String oneLine(String text) {
        return of(text.strip().replaceAll("\\s*\\R\\s*", " ").replaceAll(" {2,}", " "));
    }
}
