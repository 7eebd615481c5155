package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The replication links of {@code zsentinel status}. Ages and lags come from the controller (its clock),
 * so a skewed operator workstation cannot make a link look fresher than it is. What an operator must
 * know about a link (why it stopped, since when it fails) goes on lines under its row, one per fact:
 * a long reason (a zfs error can run to hundreds of characters) is shortened unless {@code full}, which
 * wraps it.
 */
final class LinkTable {
    static final int WRAP_WIDTH = 100;
    static final String FULL_TEXT = "zsentinel status --full";

    private LinkTable() {
    }

    static String format(JsonNode links, ZoneId zone, boolean full) {
        if (links.isEmpty()) {
            return "no replication links\n";
        }
        Table table = new Table("LINK", "STATE", "LAST SUCCESS", "LAG", "FAILURES").alignRight(4);
        for (JsonNode l : links) {
            String lastSuccess = l.hasNonNull("lastSuccessAgeSeconds")
                    ? duration(l.path("lastSuccessAgeSeconds").asLong()) + " ago" : "never";
            String lag = l.hasNonNull("lagSeconds") ? duration(l.path("lagSeconds").asLong()) : "-";
            table.row(l.path("id").asText(), l.path("state").asText(), lastSuccess, lag, l.path("consecutiveFailures").asInt());
            for (String note : notes(l, zone)) {
                if (full) {
                    TerminalText.wrap(note, WRAP_WIDTH).forEach(table::note);
                } else {
                    table.note(TerminalText.shorten(note, TerminalText.NOTE_LENGTH, FULL_TEXT));
                }
            }
        }
        return table.format();
    }

    /** What an operator must know first: why it is stopped, since when it fails, what is pending. */
    static List<String> notes(JsonNode l, ZoneId zone) {
        List<String> notes = new ArrayList<>();
        JsonNode diverged = l.path("diverged");
        String divergence = diverged.path("reason").asText("");
        if (diverged.isObject()) {
            List<String> only = new ArrayList<>();
            diverged.path("targetOnly").forEach(s -> only.add(s.asText()));
            notes.add("diverged: " + divergence + (only.isEmpty() ? "" : " (target only: " + String.join(", ", only) + ")"));
        }
        JsonNode paused = l.path("paused");
        if (paused.isObject()) {
            notes.add("paused by " + paused.path("operator").asText() + ": " + paused.path("reason").asText());
        }
        if (l.hasNonNull("failingSince")) {
            String failure = l.path("lastFailureReason").asText("");
            // a refused receive is both the last failure and the divergence: say it once
            boolean said = !failure.isEmpty() && divergence.contains(failure);
            notes.add("failing since " + TerminalText.time(l, "failingSince", zone) + (said || failure.isEmpty() ? ""
                    : ": " + failure));
        }
        if (l.path("circuitOpen").asBoolean(false)) {
            notes.add("circuit open until " + TerminalText.time(l, "circuitOpenUntil", zone));
        }
        if (l.path("resolutionOrdered").isObject()) {
            notes.add("rollback of the target ordered by " + l.path("resolutionOrdered").path("operator").asText());
        }
        if (l.path("syncRequested").isObject()) {
            notes.add("sync requested by " + l.path("syncRequested").path("operator").asText());
        }
        return notes;
    }

    /** {@code 45s}, {@code 12m05s}, {@code 3h07m}, {@code 2d04h}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86400, seconds % 86400 / 3600);
    }
}
