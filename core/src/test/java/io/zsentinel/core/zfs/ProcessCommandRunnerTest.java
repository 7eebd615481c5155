package io.zsentinel.core.zfs;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCommandRunnerTest {
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void largeOutputOnBothStreamsDoesNotDeadlock() {
        // Each stream far beyond a 64 KiB pipe buffer, written interleaved.
        CommandResult r = runner.run(List.of("sh", "-c", "seq 1 200000 >&2; seq 1 300000; seq 1 10 >&2"),
                Duration.ofSeconds(30));
        assertEquals(0, r.exitCode());
        assertEquals(300000, r.stdout().lines().count());
        assertEquals(200010, r.stderr().lines().count());
    }

    @Test
    void argumentsAreNotSplitOrInterpreted() {
        CommandResult r = runner.run(List.of("printf", "%s|", "a b", "$HOME", "'; rm -rf /"), Duration.ofSeconds(10));
        assertEquals("a b|$HOME|'; rm -rf /|", r.stdout());
    }

    @Test
    void exitCodeAndStderrAreReported() {
        CommandResult r = runner.run(List.of("sh", "-c", "echo oops >&2; exit 3"), Duration.ofSeconds(10));
        assertEquals(3, r.exitCode());
        assertEquals("oops\n", r.stderr());
        assertFalse(r.succeeded());
    }

    @Test
    void timeoutKillsTheProcess() {
        CommandResult r = runner.run(List.of("sleep", "30"), Duration.ofMillis(300));
        assertTrue(r.timedOut());
        assertFalse(r.succeeded());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(10)) < 0, "elapsed " + r.elapsed());
    }

    @Test
    void missingProgramIsAResultNotACrash() {
        ProcessCommandRunner misconfigured = new ProcessCommandRunner(new ZfsBinaries("/nonexistent/zfs", "/nonexistent/zpool"));
        CommandResult r = misconfigured.run(List.of("zfs", "list"), Duration.ofSeconds(10));
        assertEquals(127, r.exitCode());
        assertEquals(ZfsErrorKind.UNSUPPORTED, ZfsErrorKind.classify(r.stderr()));
        assertTrue(r.stderr().contains("/nonexistent/zfs"), r.stderr());
        assertEquals(List.of("zfs", "list"), r.command());
    }

    @Test
    void everyInvocationIsCounted() {
        long before = runner.invocations();
        runner.run(List.of("true"), Duration.ofSeconds(10));
        runner.run(List.of("false"), Duration.ofSeconds(10));
        assertEquals(2, runner.invocations() - before);
    }
}
