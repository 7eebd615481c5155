package io.zsentinel.deploy.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code zsentinel state --as-of} against a controller that answers as {@code GET /api/state} does. */
class StateCliTest extends ControllerStub {
    @Test
    void theFleetAsOfAnInstantIsPrintedServersServicesLinksAndCounts() {
        answer = """
                {"asOf":"2026-11-30T03:12:00Z","events":42,
                 "servers":[{"server":"storage-01","registeredAt":"2026-11-30T03:00:00Z","health":"failed",
                  "maintenance":false,"declaredFailedAt":"2026-11-30T03:10:00Z"}],
                 "services":[{"service":"vm-storage","primary":"standby-01","generation":2,"state":"blocked"}],
                 "links":[{"id":"standby-01:tank/vm1->offsite:tank/vm1","state":"idle","lagSeconds":120}],
                 "datasets":3,"snapshots":57}""";
        assertEquals(0, run("state", "--as-of", "2026-11-30T03:12:00Z"), err());
        assertTrue(requests.get(0).startsWith("GET /api/state?asOf=2026-11-30T03:12:00Z "), requests.toString());
        assertTrue(out().contains("as of 2026-11-30 03:12:00 Z (42 events replayed"), out());
        assertTrue(out().contains("storage-01") && out().contains("failed") && out().contains("2026-11-30 03:10:00 Z"),
                out());
        assertTrue(out().contains("vm-storage") && out().contains("standby-01"), out());
        assertTrue(out().contains("120 s"), out());
        assertTrue(out().contains("3 datasets, 57 snapshots"), out());
    }

    @Test
    void anInstantIsRequiredAndMustBeOne() {
        assertEquals(2, run("state"));
        assertEquals(2, run("state", "--as-of", "yesterday"));
    }
}
