package io.zsentinel.core.hooks;

import io.zsentinel.core.values.Hook;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real processes: a hook's exit status, environment, output bound, timeout and a program that does not exist. */
class HookRunnerTest {
    final HookRunner runner = new HookRunner(Clock.systemUTC());

    @Test
    void aHookThatExitsZeroSucceedsAndItsOutputIsKept() {
        HookRunner.Result r = runner.run("test", new Hook(List.of("sh", "-c", "echo serving $ZSENTINEL_SERVICE"), null),
                Map.of("ZSENTINEL_SERVICE", "vm-storage"));
        assertTrue(r.succeeded(), r.describe());
        assertEquals("serving vm-storage\n", r.output());
        assertTrue(r.describe().startsWith("exit status 0"), r.describe());
    }

    @Test
    void aNonZeroExitIsAFailureWithItsStatus() {
        HookRunner.Result r = runner.run("test", new Hook(List.of("sh", "-c", "echo no power >&2; exit 3"), null), Map.of());
        assertFalse(r.succeeded());
        assertEquals(3, r.exitCode());
        assertTrue(r.describe().contains("exit status 3") && r.describe().contains("no power"), r.describe());
    }

    @Test
    void aHookPastItsTimeoutIsKilledAndFails() {
        HookRunner.Result r = runner.run("test", new Hook(List.of("sleep", "60"), Duration.ofMillis(200)), Map.of());
        assertFalse(r.succeeded());
        assertTrue(r.timedOut());
        assertTrue(r.describe().startsWith("killed after its timeout"), r.describe());
    }

    @Test
    void aProgramThatCannotStartFailsAndSaysWhy() {
        HookRunner.Result r = runner.run("test", new Hook(List.of("/nonexistent/fence.sh"), null), Map.of());
        assertFalse(r.succeeded());
        assertTrue(r.describe().startsWith("could not run:"), r.describe());
    }

    @Test
    void outputIsBounded() {
        HookRunner.Result r = runner.run("test", new Hook(List.of("sh", "-c", "yes | head -c 100000"), null), Map.of());
        assertTrue(r.succeeded(), r.describe());
        assertEquals(HookRunner.OUTPUT_LIMIT, r.output().length());
        assertTrue(r.describe().length() < HookRunner.DESCRIBED_OUTPUT + 100, "a description quotes the start only");
    }
}
