package io.zsentinel.core.zfs;

import java.util.Objects;

/** Where the zfs and zpool programs live on this host (they differ between distributions). */
public record ZfsBinaries(String zfs, String zpool) {
    public static final String ZFS = "zfs";
    public static final String ZPOOL = "zpool";

    public ZfsBinaries {
        Objects.requireNonNull(zfs, "zfs");
        Objects.requireNonNull(zpool, "zpool");
    }

    /** Debian and Ubuntu (both OpenZFS and zfs-fuse) install to /usr/sbin. */
    public static ZfsBinaries defaults() {
        return new ZfsBinaries("/usr/sbin/zfs", "/usr/sbin/zpool");
    }

    /** {@code command} with its program name resolved: the argument list a {@link ProcessBuilder} runs. */
    public java.util.List<String> argv(java.util.List<String> command) {
        java.util.List<String> argv = new java.util.ArrayList<>(command);
        argv.set(0, resolve(command.get(0)));
        return argv;
    }

    /** The path to run for a logical program name; other programs are run as given. */
    String resolve(String program) {
        return switch (program) {
            case ZFS -> zfs;
            case ZPOOL -> zpool;
            default -> program;
        };
    }
}
