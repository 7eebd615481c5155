package io.zsentinel.replication.api;

import io.zsentinel.core.values.PrintableText;

/**
 * The controller's early check of a restore path; the agent checks again against the real files
 * (symlinks), since only it can see them.
 */
public final class RestorePaths {
    private RestorePaths() {
    }

    public static String checkRelative(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("a path inside the snapshot is required (e.g. etc/app.conf)");
        }
        PrintableText.require("restore path", path);
        String p = path.startsWith("/") ? path.substring(1) : path; // relative to the dataset root either way
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                throw new IllegalArgumentException("the restore path " + path + " leaves the snapshot ('..' is refused)");
            }
        }
        return p.isEmpty() ? "." : p;
    }
}
