package io.zsentinel.deploy.lab;

import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZfsAvailabilityTest {

    private static CommandRunner answering(int exitCode, String stderr) {
        return new CommandRunner() {
            @Override
            public CommandResult run(List<String> argv, Duration timeout) {
                return new CommandResult(argv, exitCode, "", stderr, false, Duration.ZERO);
            }

            @Override
            public long invocations() {
                return 0;
            }
        };
    }

    @Test
    void missingZfsSaysWhatToInstall() {
        LabException e = assertThrows(LabException.class, () -> ZfsAvailability.require(answering(127, "")));
        assertTrue(e.getMessage().contains("apt-get install zfs-fuse"), e.getMessage());
        assertTrue(e.getMessage().contains("--install"), e.getMessage());
    }

    @Test
    void aSilentDaemonSaysHowToStartIt() {
        LabException e = assertThrows(LabException.class,
                () -> ZfsAvailability.require(answering(1, "connect: No such file or directory")));
        assertTrue(e.getMessage().contains("zfs-fuse"), e.getMessage());
        assertTrue(e.getMessage().contains("No such file"), e.getMessage());
    }

    @Test
    void anAnsweringZfsPasses() {
        assertDoesNotThrow(() -> ZfsAvailability.require(answering(0, "")));
    }
}
