package io.zsentinel.deploy.lab;

import io.zsentinel.deploy.config.ServiceConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The lab's service {@value Lab#SERVICE}: {@code primary/vm1}, served by primary with standby as its standby, and the
 * hooks an operator would write for it, in {@code DIR/hooks/} (rewritten at every start). The promote hook points
 * the endpoint file ({@link Lab#endpointFile}) at the new primary's mountpoint, which is how the demo client
 * ({@link LabClient}) follows a failover; the demote hook only records that it ran. No fence hook: the lab's
 * failovers wait for the failed primary's lease to lapse, the path that must be safe without one.
 */
final class LabService {
    private LabService() {
    }

    /** Writes the hooks under {@code dir} and returns the service's controller.yaml entry. */
    static ServiceConfig write(Path dir) throws IOException {
        Path hooks = dir.resolve("hooks");
        Files.createDirectories(hooks);
        Path endpoint = Lab.endpointFile(dir, Lab.SERVICE);
        Path promote = script(hooks.resolve("promote-" + Lab.SERVICE + ".sh"), """
                #!/bin/sh
                # The lab's promote hook for %1$s (written by the lab at every start): clients follow %2$s.
                set -eu
                dataset="${ZSENTINEL_DATASETS%%%% *}"
                mountpoint="$(zfs get -H -o value mountpoint "$dataset")"
                printf '%%s %%s\\n' "$ZSENTINEL_NEW_PRIMARY" "$mountpoint" > '%2$s.tmp'
                mv '%2$s.tmp' '%2$s'
                echo "%1$s served by $ZSENTINEL_NEW_PRIMARY at $mountpoint (generation $ZSENTINEL_GENERATION)"
                """.formatted(Lab.SERVICE, endpoint));
        Path demote = script(hooks.resolve("demote-" + Lab.SERVICE + ".sh"), """
                #!/bin/sh
                # The lab's demote hook for %1$s: %1$s must no longer be served by $ZSENTINEL_SERVER.
                echo "%1$s no longer served by $ZSENTINEL_SERVER (generation $ZSENTINEL_GENERATION)"
                """.formatted(Lab.SERVICE));
        String first = Lab.SERVERS.get(0);
        return new ServiceConfig(Lab.SERVICE, first + "/" + Lab.SERVICE, first, List.of(Lab.SERVERS.get(1)), "15m", null,
                new ServiceConfig.HookConfig(List.of(promote.toString()), "20s"),
                new ServiceConfig.HookConfig(List.of(demote.toString()), "20s"));
    }

    private static Path script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file.toAbsolutePath();
    }
}
