package io.zsentinel.deploy.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code zsentinel switchover} against a controller answering as the route does: what is sent, refusals with exit 1. */
class SwitchoverCliTest extends ControllerStub {
    @Test
    void aSwitchoverPostsTheStandbyTheOperatorAndTheReason() {
        status = 202;
        answer = """
                {"service":"vm-storage","status":"switching over","from":"storage-01","to":"standby-01",
                 "follow":"/api/services/vm-storage"}""";
        assertEquals(0, run("switchover", "vm-storage", "--to", "standby-01", "--reason", "disk firmware"), err());
        assertTrue(requests.get(0).startsWith("POST /api/services/vm-storage/switchover "), requests.toString());
        assertTrue(requests.get(0).contains("\"to\":\"standby-01\"") && requests.get(0).contains("\"reason\":\"disk firmware\"")
                && requests.get(0).contains("tester@host"), requests.toString());
        assertTrue(out().contains("switchover of vm-storage to standby-01 ordered"), out());
    }

    @Test
    void aRefusedSwitchoverFailsWithTheReason() {
        status = 409;
        answer = """
                {"error":"switchover of vm-storage to standby-01 refused: standby-01 lags","hint":"nothing was ordered"}""";
        assertEquals(1, run("switchover", "vm-storage", "--to", "standby-01", "--reason", "r"));
        assertTrue(err().contains("standby-01 lags"), err());
    }

    @Test
    void aSwitchoverWithoutAReasonIsAUsageError() {
        assertEquals(2, run("switchover", "vm-storage", "--to", "standby-01"));
        assertTrue(requests.isEmpty());
    }
}
