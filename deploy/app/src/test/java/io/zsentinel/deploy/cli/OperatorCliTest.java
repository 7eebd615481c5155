package io.zsentinel.deploy.cli;

import io.zsentinel.deploy.operator.OperatorApi;
import io.zsentinel.projections.audit.Operation;
import io.zsentinel.replication.api.AssignRetentionPolicy;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.EvaluateRetention;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.OperatorActionRecorded;
import io.zsentinel.replication.api.RecordCommandOutcome;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.zsentinel.deploy.operator.OperatorApi.A;
import static io.zsentinel.deploy.operator.OperatorApi.VM1;
import static io.zsentinel.deploy.operator.OperatorApi.VM2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator commands of the CLI against the real API on a real Axon configuration. */
class OperatorCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger pauses = new AtomicInteger();
    private OperatorApi fixture;
    /** What "the agent" does while the CLI waits: nothing, unless a test says so. */
    private Terminal.Pause agent = d -> pauses.incrementAndGet();

    @BeforeEach
    void start() throws Exception {
        fixture = new OperatorApi();
        fixture.seed(A, VM1, 3);
        fixture.seed(A, VM2, 1);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aRollbackThatWouldDestroySnapshotsIsRefusedWithTheirNames() throws Exception {
        int exit = run("rollback", "primary/vm1@s1", "--reason", "bad patch");
        assertEquals(1, exit);
        assertTrue(err().contains("would destroy 2 newer snapshot(s): s2, s3"), err());
        assertTrue(err().contains("hint: nothing was ordered"), err());
        assertTrue(fixture.audit.audit(Optional.empty(), 10).isEmpty());
    }

    @Test
    void anOrderedRollbackIsFollowedUntilTheAgentReports() throws Exception {
        agent = d -> {
            pauses.incrementAndGet();
            Operation op = fixture.audit.operations(Optional.empty(), 1).get(0);
            fixture.commands().sendAndWait(new RecordCommandOutcome(new DatasetId(op.server(), op.dataset()),
                    op.commandId(), "RollbackDataset", true, "rolled back to s1", OperatorApi.T0.plusSeconds(9000)));
        };
        int exit = run("rollback", "primary/vm1@s1", "--destroy-newer", "--reason", "bad patch");
        assertEquals(0, exit, err());
        assertTrue(out().contains("ordered rollback of primary/vm1 on store-a (primary/vm1@s1): command "), out());
        assertTrue(out().contains("succeeded: rollback primary/vm1@s1 on store-a: rolled back to s1"), out());
        assertEquals(1, pauses.get());
        assertEquals("tester@host", fixture.audit.audit(Optional.empty(), 1).get(0).operator());
    }

    @Test
    void aFailedOrUnfinishedOperationExitsWithOne() throws Exception {
        agent = d -> failNewestOperation("etc/x: no such file in the snapshot");
        assertEquals(1, run("restore", "primary/vm1@s2", "etc/x", "--to", "/var/restore", "--reason", "lost"));
        assertTrue(err().contains("failed: restore primary/vm1@s2 on store-a: etc/x: no such file"), err());

        agent = d -> pauses.incrementAndGet();
        assertEquals(1, run("rollback", "primary/vm1@s3", "--reason", "r", "--wait", "1"));
        assertTrue(err().contains("not done after 1 s"), err());
        assertEquals(2, pauses.get(), "polled every 500 ms for one second");
    }

    @Test
    void aServerCheckpointWithoutWaiting() throws Exception {
        assertEquals(0, run("checkpoint", "store-a", "--reason", "maintenance", "--no-wait"));
        assertTrue(out().contains("ordered checkpoint of primary/vm1 on store-a"), out());
        assertTrue(out().contains("ordered checkpoint of primary/vm2 on store-a"), out());
        assertEquals(0, pauses.get());

        assertEquals(0, run("audit", "--dataset", "primary/vm2"));
        assertTrue(out().contains("tester@host") && out().contains("maintenance") && out().contains("ordered"), out());
    }

    @Test
    void auditEscapesWhatAStoredEntryHoldsForTheTerminal() throws Exception {
        // recorded before reasons were checked: the event store keeps such text for good
        String hostile = "\u001b]0;pwned\u0007\u001b[31mred\r\n2025-01-01 00:00:00  root  forged line";
        fixture.audit.on(new OperatorActionRecorded(new DatasetId(A, VM1), new Operator("mallory"), "checkpoint x",
                hostile, UUID.randomUUID(), OperatorApi.T0));
        assertEquals(0, run("audit"));
        String audit = out();
        assertTrue(audit.contains("\\e]0;pwned\\u0007\\e[31mred\\r\\n2025-01-01 00:00:00  root  forged line"), audit);
        assertTrue(audit.chars().noneMatch(c -> c == 0x1b || c == 0x07 || c == '\r'), audit);
        assertEquals(2, audit.lines().count(), "the header and one entry, no forged line: " + audit);
    }

    @Test
    void anOldFailedRestoreStillShowsFailedAfterManyNewerOperations() throws Exception {
        agent = d -> failNewestOperation("etc/x: no such file in the snapshot");
        assertEquals(1, run("restore", "primary/vm1@s2", "etc/x", "--reason", "lost config"));
        // retention on another dataset: a frequent snapshot ordered every 15 minutes for 16 hours
        DatasetId vm2 = new DatasetId(A, VM2);
        Instant start = OperatorApi.T0.plusSeconds(10_000);
        fixture.commands().sendAndWait(new AssignRetentionPolicy(vm2,
                RetentionPolicy.defaults().withKeep(SnapshotClass.FREQUENTLY, 4), start));
        for (int i = 0; i < 64; i++) {
            fixture.commands().sendAndWait(new EvaluateRetention(vm2, start.plus(Duration.ofMinutes(15L * i))));
        }
        assertTrue(fixture.audit.operations(Optional.empty(), 1000).size() > 60);

        out.reset();
        assertEquals(0, run("audit"));
        String restore = out().lines().filter(l -> l.contains("restore etc/x")).findFirst().orElseThrow();
        assertTrue(restore.contains("  failed  "), out());
        assertTrue(out().contains("failed: etc/x: no such file in the snapshot"), out());
    }

    @Test
    void aRefusalNamesTheFlagTheOperatorGave() throws Exception {
        assertEquals(1, run("restore", "primary/vm1@s2", "etc/x", "--to", "relative/dir", "--reason", "lost"));
        assertTrue(err().contains("refused (HTTP 400): --to must be an absolute directory on the storage server"), err());
        assertTrue(err().contains("or leave --to out"), err());
    }

    @Test
    void usageErrorsExitWithTwoNamingTheWrongArgumentAndOrderNothing() throws Exception {
        assertUsageError("Missing required option: '--reason=R'", "rollback", "primary/vm1@s1");
        assertUsageError("Invalid value for positional parameter at index 0 (<dataset>@<snapshot>): \"primary/vm1\" is no"
                + " snapshot: give <dataset>@<snapshot>, e.g. primary/vm1@daily-1", "rollback", "primary/vm1", "--reason", "r");
        assertUsageError("Unknown option: '--force'", "rollback", "primary/vm1@s1", "--reason", "r", "--force");
        assertUsageError("Missing required parameter: '<path>'", "restore", "primary/vm1@s1", "--reason", "r");
        assertUsageError("Invalid value for positional parameter at index 0 (<dataset|server>): invalid dataset name \"vm;reboot\"",
                "checkpoint", "vm;reboot", "--reason", "r");
        assertUsageError("Missing required parameter: '<dataset|server>'", "checkpoint", "--reason", "r");
        assertUsageError("Missing required parameter: '<dataset>@<snapshot>'", "checkpoint", "release", "--reason", "r");
        assertUsageError("Missing required option: '--reason=R'", "checkpoint", "release", "primary/vm1@s1");
        assertUsageError("Invalid value for option '--reason': it is blank", "checkpoint", "primary/vm1", "--reason", " ");
        assertUsageError("Invalid value for option '--server': invalid server id \"a b\"", "checkpoint", "primary/vm1",
                "--reason", "r", "--server", "a b");
        assertUsageError("--wait must not be negative", "rollback", "primary/vm1@s1", "--reason", "r", "--wait", "-1");
        assertUsageError("Invalid value for option '--wait': 'soon' is not an int", "rollback", "primary/vm1@s1",
                "--reason", "r", "--wait", "soon");
        assertUsageError("Invalid value for option '--dataset': invalid dataset name \"primary//vm1\"", "audit",
                "--dataset", "primary//vm1");
        assertTrue(fixture.audit.audit(Optional.empty(), 10).isEmpty(), "nothing was ordered");
    }

    @Test
    void aCheckpointReleaseTakesTheOrderOptionsBeforeOrAfterTheWordRelease() throws Exception {
        // s1 is no checkpoint: the controller refuses (1), which it does only once the command line was read whole
        assertEquals(1, run("checkpoint", "release", "primary/vm1@s1", "--reason", "done"), err());
        assertEquals(1, run("checkpoint", "--reason", "done", "release", "primary/vm1@s1"), err());
        assertEquals(2, err().lines().filter(l -> l.startsWith("zsentinel: refused (HTTP 400): primary/vm1@s1 is not a checkpoint")).count(), err());
    }

    private void assertUsageError(String message, String... args) throws Exception {
        err.reset();
        assertEquals(2, run(args[0], java.util.Arrays.copyOfRange(args, 1, args.length)), err());
        assertTrue(err().startsWith("zsentinel: " + message), err());
        assertTrue(err().contains("zsentinel " + args[0]) && err().contains("--help says more"), err());
    }

    /** The agent reports that the newest operation failed. */
    private void failNewestOperation(String reason) {
        Operation op = fixture.audit.operations(Optional.empty(), 1).get(0);
        fixture.commands().sendAndWait(new RecordCommandOutcome(new DatasetId(op.server(), op.dataset()),
                op.commandId(), "RestoreFromSnapshot", false, reason, OperatorApi.T0.plusSeconds(9000)));
    }

    private int run(String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--url";
        all[args.length + 2] = fixture.url();
        return Main.commandLine(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> "tester@host", d -> agent.pause(d), ZoneOffset.UTC))
                .execute(all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
