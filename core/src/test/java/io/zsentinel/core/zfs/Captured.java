package io.zsentinel.core.zfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Captured zfs/zpool outputs under src/test/resources/zfs/{zfs-fuse,openzfs}. */
final class Captured {
    private Captured() {
    }

    static String read(String path) {
        try (InputStream in = Captured.class.getResourceAsStream("/zfs/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no captured output " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
