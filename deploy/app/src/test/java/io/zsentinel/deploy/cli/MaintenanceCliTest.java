package io.zsentinel.deploy.cli;

import io.zsentinel.deploy.operator.OperatorApi;
import io.zsentinel.projections.audit.AuditEntry;
import io.zsentinel.projections.audit.Operation;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.RecordCommandOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Optional;

import static io.zsentinel.deploy.operator.OperatorApi.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code zsentinel maintenance on|off <server> --reason …} against the real API on a real Axon configuration. */
class MaintenanceCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private OperatorApi fixture;
    /** While the CLI waits, "the agents" report every checkpoint taken. */
    private final Terminal.Pause agents = d -> {
        for (Operation op : fixture.audit.operations(Optional.empty(), 10)) {
            if (op.status().equals(Operation.ORDERED)) {
                fixture.commands().sendAndWait(new RecordCommandOutcome(new DatasetId(op.server(), op.dataset()),
                        op.commandId(), "TakeSnapshot", true, "taken", T0.plusSeconds(9000)));
            }
        }
    };

    @BeforeEach
    void start() throws Exception {
        fixture = new OperatorApi().withServerA();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void onCheckpointsEveryDatasetFollowsThemAndIsAudited() {
        assertEquals(0, run("maintenance", "on", "store-a", "--reason", "disk swap"), err());
        assertTrue(out().contains("server store-a is in maintenance: never declared failed"), out());
        assertTrue(out().contains("ordered checkpoint of primary/vm1 on store-a"), out());
        assertTrue(out().contains("ordered checkpoint of primary/vm2 on store-a"), out());
        assertTrue(out().contains("succeeded: checkpoint"), out());
        AuditEntry entry = fixture.audit.audit(Optional.empty(), 1).get(0);
        assertEquals("tester@host", entry.operator());
        assertEquals("disk swap", entry.reason());
        assertTrue(entry.action().startsWith("maintenance on"), entry.action());

        out.reset();
        assertEquals(0, run("audit"), err());
        assertTrue(out().contains("maintenance on: no automatic failover away from it — disk swap"), out());
    }

    @Test
    void offTakesNoCheckpoint() {
        assertEquals(0, run("maintenance", "on", "store-a", "--reason", "disk swap", "--no-wait"), err());
        out.reset();
        assertEquals(0, run("maintenance", "off", "store-a", "--reason", "swapped", "--operator", "bob@ops"), err());
        assertEquals("server store-a is out of maintenance: its failures are detected and failed over again\n", out());
        assertEquals("bob@ops", fixture.audit.audit(Optional.empty(), 1).get(0).operator());
    }

    @Test
    void anUnknownServerIsRefusedAndAWrongCommandLineIsAUsageError() {
        assertEquals(1, run("maintenance", "on", "store-z", "--reason", "r"));
        assertTrue(err().contains("never heard of server \"store-z\""), err());
        assertEquals(Main.USAGE_ERROR, run("maintenance", "on", "store-a"));
        assertTrue(err().contains("Missing required option: '--reason=R'"), err());
        assertEquals(Main.USAGE_ERROR, run("maintenance", "maybe", "store-a", "--reason", "r"));
        assertTrue(err().contains("on|off"), err());
    }

    private int run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = fixture.url();
        return Main.commandLine(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> "tester@host", agents, ZoneOffset.UTC))
                .execute(all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
