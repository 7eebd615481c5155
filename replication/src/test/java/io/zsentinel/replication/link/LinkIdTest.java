package io.zsentinel.replication.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkMessages;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.api.link.TargetDiverged;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.zsentinel.replication.link.Links.LINK;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.A;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.C;
import static io.zsentinel.replication.link.ReplicationPlannerTest.T0;
import static io.zsentinel.replication.link.ReplicationPlannerTest.dst;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LinkIdTest {
    @Test
    void aLinkIdReadsAsSourceArrowTarget() {
        assertEquals("primary:primary/vm1->offsite:backup/primary/vm1", LINK.toString());
        assertEquals(LINK, LinkId.parse(LINK.toString()));
        assertEquals(LinkId.parse("a-1:tank/x-y->b-2:tank/x-y").target().server().value(), "b-2");
    }

    @Test
    void malformedIdsAreRefusedWithTheExpectedShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinkId.parse("primary:tank/vm1"));
        assertEquals(true, e.getMessage().contains("<server>:<dataset>-><server>:<dataset>"));
        assertThrows(IllegalArgumentException.class, () -> LinkId.parse("primary:tank/vm1->primary:tank/vm1"));
        assertThrows(IllegalArgumentException.class, () -> LinkId.parse("primary:tank/vm1->standby:tank/v;m1"));
    }

    @Test
    void eventsTravelAsJsonAndReadBackEqual() throws Exception {
        ObjectMapper json = Json.newMapper();
        ReplicationScheduled scheduled = new ReplicationScheduled(LINK, UUID.randomUUID(), SnapshotRef.of(A),
                SnapshotRef.of(C), true, null, false, 2, T0);
        String text = json.writeValueAsString(scheduled);
        assertEquals(true, text.contains("\"linkId\":\"" + LINK + "\""), text);
        assertEquals(scheduled, json.readValue(text, ReplicationScheduled.class));
        TargetDiverged diverged = new TargetDiverged(LINK, "why", null, List.of(SnapshotRef.of(dst("x", 5, 6))), T0);
        assertEquals(diverged, json.readValue(json.writeValueAsString(diverged), TargetDiverged.class));
        assertEquals(Links.established(), json.readValue(json.writeValueAsString(Links.established()),
                ReplicationLinkEstablished.class));
        assertEquals("ReplicationScheduled", LinkMessages.types().of(ReplicationScheduled.class).name());
    }
}
