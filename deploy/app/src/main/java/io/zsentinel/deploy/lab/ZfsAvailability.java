package io.zsentinel.deploy.lab;

import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;

import java.time.Duration;
import java.util.List;

/** Checks that zfs answers, and says exactly what to do when it does not. */
final class ZfsAvailability {
    private ZfsAvailability() {
    }

    static void require(CommandRunner runner) {
        CommandResult result = runner.run(List.of("zpool", "list", "-H", "-o", "name"), Duration.ofSeconds(20));
        if (result.exitCode() == 127) {
            throw new LabException("""
                    ZFS is not installed: the lab needs the zfs and zpool commands.
                      Install Debian's zfs-fuse:   sudo apt-get install zfs-fuse
                      or let the lab do it:        sudo ./zsentinel lab --install""");
        }
        if (!result.succeeded()) {
            throw new LabException("ZFS does not answer (`zpool list`: " + result.errorText().strip() + ").\n"
                    + "  Start the zfs-fuse daemon as root:   sudo zfs-fuse\n"
                    + "  or let the lab do it:                sudo ./zsentinel lab --install");
        }
    }
}
