package io.zsentinel.core.values;

/**
 * The ZFS naming rules shared by pool, dataset and snapshot names (OpenZFS {@code zfs_namecheck.c}).
 * A component may hold letters, digits, {@code _ - : .} and space; nothing else ever reaches a
 * process argument, so shell metacharacters, quotes and newlines are impossible by construction.
 */
final class ZfsNames {
    /** ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL. */
    static final int MAX_LENGTH = 255;

    private ZfsNames() {
    }

    static boolean isComponentChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == ':' || c == '.' || c == ' ';
    }

    /** Checks one path component; {@code what} names it in the error ("dataset name", "snapshot name"). */
    static void checkComponent(String full, String component, String what) {
        if (component.isEmpty()) {
            throw new InvalidNameException(what, full, "has an empty component (a doubled, leading or trailing '/')");
        }
        if (component.equals(".") || component.equals("..")) {
            throw new InvalidNameException(what, full, "has a '" + component + "' component");
        }
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (!isComponentChar(c)) {
                throw new InvalidNameException(what, full, "contains " + describe(c)
                        + "; only letters, digits, '_', '-', ':', '.' and space are allowed");
            }
        }
    }

    /**
     * Checks {@code dataset<separator>shortName} ({@code @} for a snapshot, {@code #} for a bookmark):
     * a dataset, a non-empty short name made of component characters, and a whole within ZFS' length.
     */
    static void checkChild(DatasetName dataset, String shortName, char separator, String what) {
        if (dataset == null) {
            throw new InvalidNameException(what, separator + shortName, "has no dataset");
        }
        String full = dataset.value() + separator + shortName;
        if (shortName == null || shortName.isEmpty()) {
            throw new InvalidNameException(what, full, "has nothing after '" + separator + "'");
        }
        checkComponent(full, shortName, what);
        if (full.length() > MAX_LENGTH) {
            checkWhole(full, what);
        }
    }

    /** Splits {@code full} at its one {@code separator}: the dataset part and the short name. */
    static String[] splitChild(String full, char separator, String what) {
        if (full == null) {
            throw new InvalidNameException(what, "null", "is empty");
        }
        int at = full.indexOf(separator);
        if (at < 0) {
            throw new InvalidNameException(what, full, "has no '" + separator + "'");
        }
        if (full.indexOf(separator, at + 1) >= 0) {
            throw new InvalidNameException(what, full, "has more than one '" + separator + "'");
        }
        return new String[]{full.substring(0, at), full.substring(at + 1)};
    }

    static void checkWhole(String full, String what) {
        if (full == null || full.isEmpty()) {
            throw new InvalidNameException(what, String.valueOf(full), "is empty");
        }
        if (full.length() > MAX_LENGTH) {
            throw new InvalidNameException(what, full.substring(0, 40) + "…",
                    "is " + full.length() + " characters long; ZFS allows at most " + MAX_LENGTH);
        }
        if (full.charAt(0) == '-') {
            throw new InvalidNameException(what, full, "starts with '-', which a command would read as an option");
        }
    }

    static String describe(char c) {
        return switch (c) {
            case '\n' -> "a newline";
            case '\r' -> "a carriage return";
            case '\t' -> "a tab";
            case '\'' -> "a single quote";
            case '"' -> "a double quote";
            case '`' -> "a backquote";
            default -> Character.isISOControl(c) ? String.format("control character U+%04X", (int) c) : "'" + c + "'";
        };
    }
}
