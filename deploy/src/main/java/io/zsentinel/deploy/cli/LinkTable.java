package io.zsentinel.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The replication links of {@code zsentinel status}. Ages and lags come from the controller (its clock),
 * so a skewed operator workstation cannot make a link look fresher than it is.
 */
final class LinkTable {
    private static final String FORMAT = "%-48s %-12s %-14s %-8s %8s  %s";

    private LinkTable() {
    }

    static String format(JsonNode links) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(FORMAT, "LINK", "STATE", "LAST SUCCESS", "LAG", "FAILURES", "NOTE")).append('\n');
        if (links.isEmpty()) {
            out.append("no replication links\n");
        }
        for (JsonNode l : links) {
            String lastSuccess = l.hasNonNull("lastSuccessAgeSeconds")
                    ? duration(l.path("lastSuccessAgeSeconds").asLong()) + " ago" : "never";
            String lag = l.hasNonNull("lagSeconds") ? duration(l.path("lagSeconds").asLong()) : "-";
            out.append(String.format(FORMAT, l.path("id").asText(), l.path("state").asText(), lastSuccess, lag,
                    l.path("consecutiveFailures").asInt(), note(l)).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** What an operator must know first: why it is stopped, since when it fails, what is pending. */
    static String note(JsonNode l) {
        List<String> notes = new ArrayList<>();
        JsonNode diverged = l.path("diverged");
        if (diverged.isObject()) {
            List<String> only = new ArrayList<>();
            diverged.path("targetOnly").forEach(s -> only.add(s.asText()));
            notes.add("diverged: " + diverged.path("reason").asText()
                    + (only.isEmpty() ? "" : " (target only: " + String.join(", ", only) + ")"));
        }
        JsonNode paused = l.path("paused");
        if (paused.isObject()) {
            notes.add("paused by " + paused.path("operator").asText() + ": " + paused.path("reason").asText());
        }
        if (l.hasNonNull("failingSince")) {
            notes.add("failing since " + l.path("failingSince").asText() + ": " + l.path("lastFailureReason").asText());
        }
        if (l.path("circuitOpen").asBoolean(false)) {
            notes.add("circuit open until " + l.path("circuitOpenUntil").asText());
        }
        if (l.path("resolutionOrdered").isObject()) {
            notes.add("rollback of the target ordered by " + l.path("resolutionOrdered").path("operator").asText());
        }
        if (l.path("syncRequested").isObject()) {
            notes.add("sync requested by " + l.path("syncRequested").path("operator").asText());
        }
        return notes.isEmpty() ? "" : String.join("; ", notes);
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
