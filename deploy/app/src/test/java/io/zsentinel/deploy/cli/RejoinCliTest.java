package io.zsentinel.deploy.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code zsentinel rejoin} and {@code zsentinel rescue list|release} against a controller that answers as the REST
 * routes do: what is sent (dry run, operator, reason, name) and what the operator reads (common snapshot, what lies
 * after it, where it is kept; refusals with exit 1).
 */
class RejoinCliTest extends ControllerStub {
    @Test
    void aDryRunShowsPerDatasetTheCommonSnapshotWhatLiesAfterItAndWhereItWouldBeKept() {
        answer = """
                {"server":"storage-01","dryRun":true,"services":[{"service":"vm-storage","newPrimary":"standby-01",
                 "generation":2,"status":"dry-run","refusals":[],"datasets":[{"dataset":"tank/vm1","copy":"standby/vm1",
                 "common":"s3","commonGuid":"123","commonCreated":"2026-12-02T10:00:00Z","snapshotsAfter":["s4"],
                 "bytesAfter":4096,"bytesHow":"net growth","keptAs":"tank/zsentinel-rescue/vm1-20261202T100500Z"}]}]}""";
        assertEquals(0, run("rejoin", "storage-01", "--dry-run"), err());
        assertTrue(requests.get(0).startsWith("POST /api/servers/storage-01/rejoin "), requests.toString());
        assertTrue(requests.get(0).contains("\"dryRun\":true") && requests.get(0).contains("tester@host"),
                requests.toString());
        assertTrue(out().contains("vm-storage: dry-run (new primary standby-01, generation 2)"), out());
        assertTrue(out().contains("tank/vm1 <- standby/vm1: common snapshot @s3 (guid 123"), out());
        assertTrue(out().contains("after it: @s4; bytes: 4096 (net growth)"), out());
        assertTrue(out().contains("kept as: tank/zsentinel-rescue/vm1-20261202T100500Z"), out());
    }

    @Test
    void aRefusedRejoinPrintsEveryReasonAndFails() {
        status = 409;
        answer = """
                {"server":"storage-01","dryRun":false,"services":[{"service":"vm-storage","newPrimary":"standby-01",
                 "generation":2,"status":"refused","refusals":["storage-01 is failed: its agent does the rejoin"],
                 "datasets":[]}]}""";
        assertEquals(1, run("rejoin", "storage-01", "--reason", "repaired"));
        assertTrue(requests.get(0).contains("\"dryRun\":false") && requests.get(0).contains("repaired"),
                requests.toString());
        assertTrue(out().contains("refused: storage-01 is failed: its agent does the rejoin"), out());
    }

    @Test
    void rescuesAreListedAndReleasedByNameWithAReason() {
        answer = """
                [{"name":"storage-01:tank/zsentinel-rescue/vm1-t","server":"storage-01",
                 "rescue":"tank/zsentinel-rescue/vm1-t","dataset":"tank/vm1","service":"vm-storage",
                 "keptAt":"2026-12-02T10:05:00Z","fromSnapshot":"s3","snapshotsAfter":["s4"],"bytesAfter":4096,
                 "snapshotsUsedBytes":8192,"status":"kept","lastRefusal":null}]""";
        assertEquals(0, run("rescue", "list"), err());
        assertTrue(out().contains("storage-01:tank/zsentinel-rescue/vm1-t  kept 2026-12-02T10:05:00Z from "
                + "storage-01:tank/vm1 after @s3 (service vm-storage), 8192 bytes in its snapshots"), out());

        status = 202;
        answer = "{\"status\":\"releasing\"}";
        assertEquals(2, run("rescue", "release", "storage-01:tank/zsentinel-rescue/vm1-t"), "a release needs --reason");
        assertEquals(0, run("rescue", "release", "storage-01:tank/zsentinel-rescue/vm1-t", "--reason", "copied"),
                err());
        String sent = requests.get(requests.size() - 1);
        assertTrue(sent.startsWith("POST /api/rescues/release ") && sent.contains("\"reason\":\"copied\"")
                && sent.contains("\"name\":\"storage-01:tank/zsentinel-rescue/vm1-t\""), sent);
    }
}
