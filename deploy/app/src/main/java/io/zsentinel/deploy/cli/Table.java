package io.zsentinel.deploy.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A text table whose columns are as wide as their content, with lines of notes under a row (why a link
 * is stopped, what failed). Every cell and note is escaped ({@link TerminalText#of}); the last column
 * is not padded, so long free text there does not push anything.
 */
final class Table {
    private static final String GAP = "  ";
    private static final String NOTE_INDENT = "    ";

    private record Row(List<String> cells, List<String> notes) {
    }

    private final List<String> header;
    private final Set<Integer> rightAligned = new HashSet<>();
    private final List<Row> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    /** Numbers read better aligned on their last digit. */
    Table alignRight(int column) {
        rightAligned.add(column);
        return this;
    }

    Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + header.size());
        }
        List<String> shown = new ArrayList<>();
        for (Object cell : cells) {
            shown.add(TerminalText.of(String.valueOf(cell)));
        }
        rows.add(new Row(shown, new ArrayList<>()));
        return this;
    }

    /** A line under the last row. */
    Table note(String line) {
        if (rows.isEmpty()) {
            throw new IllegalStateException("a note belongs under a row");
        }
        rows.get(rows.size() - 1).notes().add(TerminalText.of(line));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String format() {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (Row row : rows) {
                widths[c] = Math.max(widths[c], row.cells().get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        for (Row row : rows) {
            line(out, row.cells(), widths);
            row.notes().forEach(note -> out.append(NOTE_INDENT).append(note).append('\n'));
        }
        return out.toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            boolean last = c == cells.size() - 1;
            line.append(c == 0 ? "" : GAP).append(rightAligned.contains(c) ? pad + cell : cell + (last ? "" : pad));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
