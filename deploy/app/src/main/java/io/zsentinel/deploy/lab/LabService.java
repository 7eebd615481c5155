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
 * ({@link LabClient}) follows a failover; the demote hook takes the endpoint away while it names the demoted
 * server, so that clients stop writing there before a switchover's final snapshot. By default no fence hook: the
 * lab's failovers wait for the failed primary's lease to lapse, the path that must be safe without one. With
 * {@code fence}, the service gets the lab's stand-in for an IPMI power-off: the hook asks the running lab (through
 * its control directory, {@link LabControl}) to power the failed server off ({@code fence SERVER}: its agent killed,
 * its pool exported, see {@link LabFaults}) and succeeds only when the lab confirms it.
 */
final class LabService {
    private LabService() {
    }

    /** Writes the hooks under {@code dir} and returns the service's controller.yaml entry. */
    static ServiceConfig write(Path dir, boolean fence) throws IOException {
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
                # The lab's demote hook for %1$s: %1$s must no longer be served by $ZSENTINEL_SERVER. Clients stop
                # writing there (as a real hook takes an export or an address away): the endpoint goes while it names
                # that server. zfs-fuse lets appends to a file that exists through readonly=on, OpenZFS does not.
                set -eu
                endpoint='%2$s'
                if [ -f "$endpoint" ] && [ "$(cut -d ' ' -f 1 "$endpoint")" = "$ZSENTINEL_SERVER" ]; then
                  rm -f "$endpoint"
                fi
                echo "%1$s no longer served by $ZSENTINEL_SERVER (generation $ZSENTINEL_GENERATION)"
                """.formatted(Lab.SERVICE, endpoint));
        Path fenceHook = hooks.resolve("fence-" + Lab.SERVICE + ".sh");
        if (fence) {
            script(fenceHook, fenceScript(dir.toAbsolutePath().resolve(LabControl.DIRECTORY)));
        } else {
            Files.deleteIfExists(fenceHook); // a lab started with --fence before: not this one's
        }
        String first = Lab.SERVERS.get(0);
        return new ServiceConfig(Lab.SERVICE, first + "/" + Lab.SERVICE, first, List.of(Lab.SERVERS.get(1)), "15m",
                fence ? new ServiceConfig.HookConfig(List.of(fenceHook.toAbsolutePath().toString()), "30s") : null,
                new ServiceConfig.HookConfig(List.of(promote.toString()), "20s"),
                new ServiceConfig.HookConfig(List.of(demote.toString()), "20s"));
    }

    /**
     * The fence hook: one request file into the lab's control directory (written aside, then moved, as the lab reads
     * only whole requests), then the answer awaited up to 25 s; exit status 0 only on the lab's "ok".
     */
    private static String fenceScript(Path control) {
        return """
                #!/bin/sh
                # The lab's fence hook for %1$s (written by the lab at every start): powers $ZSENTINEL_SERVER off the way
                # IPMI would. The lab kills its agent and exports its pool, and answers ok only when both are done.
                set -eu
                control='%2$s'
                id="$(date +%%s%%N)-fence-$$"
                printf 'fence %%s\n' "$ZSENTINEL_SERVER" > "$control/$id.partial"
                mv "$control/$id.partial" "$control/$id.request"
                tries=0
                while [ ! -f "$control/$id.answer" ]; do
                  tries=$((tries + 1))
                  if [ "$tries" -gt 125 ]; then
                    rm -f "$control/$id.request"
                    echo "the lab did not confirm that $ZSENTINEL_SERVER is off within 25 s"
                    exit 1
                  fi
                  sleep 0.2
                done
                answer="$(cat "$control/$id.answer")"
                rm -f "$control/$id.answer"
                printf '%%s\n' "$answer" | tail -n +2
                [ "$(printf '%%s\n' "$answer" | head -n 1)" = ok ]
                """.formatted(Lab.SERVICE, control);
    }

    private static Path script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file.toAbsolutePath();
    }
}
