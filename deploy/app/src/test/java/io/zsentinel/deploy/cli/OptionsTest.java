package io.zsentinel.deploy.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {
    @Test
    void positionalsAreTheWordsLeftAfterTheOptionsWhereverTheyStand() {
        Options options = new Options(new String[]{"primary/vm1@s1", "--reason", "bad patch", "etc/x", "--destroy-newer"});
        assertEquals("bad patch", options.value("--reason", null));
        assertTrue(options.flag("--destroy-newer"));
        assertFalse(options.flag("--no-wait"));
        assertEquals(List.of("primary/vm1@s1", "etc/x"), options.positionals(1, 2, "u"));
        options.requireAllUsed();
    }

    @Test
    void unknownOptionsAndWrongCountsAreUsageErrors() {
        Options unknown = new Options(new String[]{"primary/vm1@s1", "--bogus", "x"});
        UsageException e = assertThrows(UsageException.class, () -> unknown.positionals(1, 1, "zsentinel rollback"));
        assertTrue(e.getMessage().startsWith("unknown option --bogus"), e.getMessage());

        assertThrows(UsageException.class, () -> new Options(new String[0]).positionals(1, 1, "u"));
        assertThrows(UsageException.class, () -> new Options(new String[]{"a", "b"}).positionals(1, 1, "u"));
        assertThrows(UsageException.class, () -> new Options(new String[]{"a", "--reason"}).value("--reason", null));
        assertThrows(UsageException.class, () -> new Options(new String[]{"--wait", "soon"}).intValue("--wait", 60));
    }

    @Test
    void optionsAreReadBeforeThePositionals() {
        Options options = new Options(new String[]{"a"});
        options.positionals(0, 1, "u");
        assertThrows(IllegalStateException.class, () -> options.value("--reason", null));
    }
}
