package io.zsentinel.deploy.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private static final List<String> COMMANDS = List.of("lab", "controller", "agent", "status", "bench", "checkpoint",
            "rollback", "restore", "audit", "replication");

    @Test
    void everyCommandAnswersHelpWithItsOwnUsageAndDoesNothingElse() throws Exception {
        for (String command : COMMANDS) {
            String usage = Main.usageOf(command);
            assertTrue(usage.startsWith("usage:\n  zsentinel " + command), usage);
            for (String other : COMMANDS) {
                assertEquals(other.equals(command), usage.contains("zsentinel " + other + " "), command + ": " + usage);
            }
            // no controller listens at this URL: an answer of 0 means nothing was tried
            assertEquals(0, Main.run(new String[]{command, "--help"}));
            assertEquals(0, Main.run(new String[]{command, "-h", "--url", "http://127.0.0.1:1"}));
        }
        assertTrue(Main.usageOf("audit").contains("--dataset D"));
        assertFalse(Main.usageOf("audit").contains("--wait"), "audit orders nothing");
        assertTrue(Main.usageOf("restore").contains("--wait"));
        assertTrue(Main.usageOf("replication").contains("quote it in a shell"));
        assertTrue(assertThrows(UsageException.class, () -> Main.usageOf("frobnicate")).getMessage()
                .contains("unknown command"));
        assertEquals(0, Main.run(new String[]{"help", "audit"}));
    }
}
