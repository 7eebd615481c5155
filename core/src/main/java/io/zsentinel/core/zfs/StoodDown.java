package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A dataset its agent made read-only on its own when its lease ran out ({@link ZfsDriver#standDown}), at the
 * {@code generation} it served, for {@code service} (null when the promotion that made it primary recorded none: a
 * dataset promoted by an older agent).
 */
public record StoodDown(DatasetName dataset, long generation, String service) {
    /** What a service name may be on a dataset: the controller's service names (letters, digits, '.', '_', '-'). */
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public StoodDown {
        Objects.requireNonNull(dataset, "dataset");
    }

    /** {@code service} when it may be written as a property value; an exception naming it otherwise. */
    static String checkedService(String service) {
        if (service == null || !SERVICE.matcher(service).matches()) {
            throw new IllegalArgumentException("service name \"" + service + "\" cannot be recorded on a dataset: letters,"
                    + " digits, '.', '_' and '-' only");
        }
        return service;
    }

    /** Rows of {@code zfs get -H -p -o name,property,value role,generation,service}: the stood-down datasets. */
    static List<StoodDown> parse(String out) {
        Map<String, Map<String, String>> byName = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length != 3) {
                throw new ZfsOutputFormatException("zfs get " + DatasetRole.ROLE, line, "expected name, property and value");
            }
            if (cells[0].contains("@")) {
                continue; // a snapshot: it carries what its dataset had when taken
            }
            byName.computeIfAbsent(cells[0], n -> new LinkedHashMap<>()).put(cells[1], cells[2].strip());
        }
        List<StoodDown> stoodDown = new ArrayList<>();
        byName.forEach((name, values) -> {
            if (!DatasetRole.STOOD_DOWN.equals(values.get(DatasetRole.ROLE))) {
                return;
            }
            long generation;
            try {
                generation = Long.parseLong(values.getOrDefault(DatasetRole.GENERATION, "0"));
            } catch (NumberFormatException e) {
                throw new ZfsOutputFormatException("zfs get " + DatasetRole.GENERATION, values.get(DatasetRole.GENERATION), e);
            }
            String service = values.get(DatasetRole.SERVICE);
            stoodDown.add(new StoodDown(DatasetName.of(name), generation,
                    service == null || service.equals("-") || !SERVICE.matcher(service).matches() ? null : service));
        });
        return stoodDown;
    }
}
