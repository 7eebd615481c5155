package io.zsentinel.core.zfs;

import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.core.values.PoolName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code zpool status POOL} of OpenZFS and of zfs-fuse. The layout: right-aligned "key:"
 * headers whose values continue on tab-indented lines, a "config:" tree indented two spaces per
 * level, then "errors:" (and, on OpenZFS, the files with permanent errors).
 */
public final class PoolStatusParser {
    private static final Pattern HEADER = Pattern.compile("^\\s*([a-z]+):(?: (.*))?$");
    private static final Pattern REPAIRED = Pattern.compile("(?:repaired|resilvered) (\\S+) in");
    private static final Pattern ERRORS = Pattern.compile("with (\\d+) errors");
    private static final Set<String> SECTIONS = Set.of("logs", "cache", "spares", "special", "dedup");

    private PoolStatusParser() {
    }

    public static PoolStatus parse(String stdout) {
        Map<String, StringBuilder> headers = new LinkedHashMap<>();
        List<String> configRows = new ArrayList<>();
        String errors = "";
        List<String> errorFiles = new ArrayList<>();
        String phase = "header";
        StringBuilder current = null;
        for (String line : stdout.split("\n")) {
            if (phase.equals("errors")) {
                if (!line.isBlank()) {
                    errorFiles.add(line.strip());
                }
                continue;
            }
            Matcher header = line.startsWith("\t") ? null : HEADER.matcher(line);
            if (header != null && header.matches()) {
                String key = header.group(1);
                String value = header.group(2) == null ? "" : header.group(2).strip();
                if (key.equals("config")) {
                    phase = "config";
                    current = null;
                } else if (key.equals("errors")) {
                    phase = "errors";
                    errors = value;
                } else if (phase.equals("header")) {
                    current = new StringBuilder(value);
                    headers.put(key, current);
                }
            } else if (phase.equals("header") && current != null && !line.isBlank()) {
                current.append('\n').append(line.strip());
            } else if (phase.equals("config") && line.startsWith("\t") && !line.isBlank()) {
                configRows.add(line.substring(1));
            } else if (phase.equals("config") && !line.isBlank()) {
                throw new ZfsOutputFormatException("zpool status config", line, "expected a tab-indented vdev row");
            }
        }
        String pool = text(headers, "pool")
                .orElseThrow(() -> new ZfsOutputFormatException("zpool status", firstLine(stdout), "no \"pool:\" line"));
        String state = text(headers, "state")
                .orElseThrow(() -> new ZfsOutputFormatException("zpool status", firstLine(stdout), "no \"state:\" line"));
        String scan = text(headers, "scan").or(() -> text(headers, "scrub")).orElse("");
        List<VdevEntry> vdevs = vdevs(configRows);
        if (vdevs.isEmpty()) {
            throw new ZfsOutputFormatException("zpool status", firstLine(stdout), "no vdev rows under \"config:\"");
        }
        try {
            return new PoolStatus(PoolName.of(pool), PoolHealth.parse(state), text(headers, "status"),
                    text(headers, "action"), scan(scan), vdevs, errors, errorFiles);
        } catch (IllegalArgumentException e) {
            throw new ZfsOutputFormatException("zpool status", "pool: " + pool + " / scan: " + scan, e);
        }
    }

    static ScanStatus scan(String text) {
        if (text.isEmpty() || text.startsWith("none requested")) {
            return new ScanStatus(ScanStatus.Activity.NONE, ScanStatus.Progress.NONE, OptionalLong.empty(),
                    OptionalLong.empty(), text);
        }
        ScanStatus.Activity activity = text.startsWith("resilver") ? ScanStatus.Activity.RESILVER
                : text.startsWith("scrub") ? ScanStatus.Activity.SCRUB : ScanStatus.Activity.NONE;
        ScanStatus.Progress progress;
        if (text.contains("in progress")) {
            progress = ScanStatus.Progress.IN_PROGRESS;
        } else if (text.contains("canceled")) {
            progress = ScanStatus.Progress.CANCELED;
        } else if (text.contains("repaired") || text.contains("resilvered") || text.contains("completed")) {
            progress = ScanStatus.Progress.FINISHED;
        } else {
            progress = ScanStatus.Progress.NONE;
        }
        OptionalLong repaired = OptionalLong.empty();
        Matcher r = REPAIRED.matcher(text);
        if (r.find()) {
            repaired = OptionalLong.of(HumanSize.bytes(r.group(1)));
        }
        Matcher e = ERRORS.matcher(text);
        OptionalLong errors = e.find() ? OptionalLong.of(Long.parseLong(e.group(1))) : OptionalLong.empty();
        return new ScanStatus(activity, progress, repaired, errors, text);
    }

    private static List<VdevEntry> vdevs(List<String> rows) {
        List<VdevEntry> vdevs = new ArrayList<>();
        String section = "data";
        boolean seenColumns = false;
        for (String row : rows) {
            String trimmed = row.strip();
            if (!seenColumns && trimmed.startsWith("NAME")) {
                seenColumns = true;
                continue;
            }
            int indent = row.length() - row.stripLeading().length();
            String[] f = trimmed.split("\\s+", 6);
            if (indent == 0 && f.length == 1 && SECTIONS.contains(f[0])) {
                section = f[0];
                continue;
            }
            vdevs.add(vdev(row, f, section, indent / 2));
        }
        return vdevs;
    }

    private static VdevEntry vdev(String row, String[] f, String section, int depth) {
        String rawState = f.length > 1 ? f[1] : "";
        boolean counters = f.length >= 5 && isCount(f[2]) && isCount(f[3]) && isCount(f[4]);
        try {
            if (counters) {
                return new VdevEntry(f[0], section, depth, PoolHealth.parse(rawState), rawState, HumanSize.bytes(f[2]),
                        HumanSize.bytes(f[3]), HumanSize.bytes(f[4]), f.length > 5 ? f[5] : "");
            }
            // spares ("AVAIL", "INUSE currently in use") and some section rows carry no counters
            String note = row.strip().substring(f[0].length()).strip();
            note = note.startsWith(rawState) ? note.substring(rawState.length()).strip() : note;
            return new VdevEntry(f[0], section, depth, PoolHealth.parse(rawState), rawState, 0, 0, 0, note);
        } catch (IllegalArgumentException e) {
            throw new ZfsOutputFormatException("zpool status config", row, e);
        }
    }

    private static boolean isCount(String s) {
        return s.matches("\\d+(\\.\\d+)?[KMGTPE]?");
    }

    private static Optional<String> text(Map<String, StringBuilder> headers, String key) {
        return Optional.ofNullable(headers.get(key)).map(StringBuilder::toString);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }
}
