package io.zsentinel.replication.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.replication.api.link.RecordTransferFailed;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import org.junit.jupiter.api.Test;

import static io.zsentinel.replication.link.Links.LINK;
import static io.zsentinel.replication.link.ReplicationLinkDeciderTest.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Axon snapshots a link as its JSON in the project's one mapping: every part of the state survives. */
class ReplicationLinkSnapshotJsonTest {

    @Test
    void aLinkWithATransferInFlightAfterAFailureRoundTripsThroughTheProjectsJson() throws Exception {
        Links.Run run = ReplicationLinkDeciderTest.transferringAtoC();
        ReplicationScheduled first = (ReplicationScheduled) run.history.stream()
                .filter(ReplicationScheduled.class::isInstance).reduce((a, b) -> b).orElseThrow();
        run.when(new RecordTransferFailed(LINK, first.transferId(), "ssh: connection reset", null, at(1000)));
        ReplicationLinkAggregate aggregate = new ReplicationLinkAggregate();
        run.history.forEach(aggregate::on);
        assertEquals(run.state, aggregate.state());
        assertNotNull(aggregate.state().base());
        assertNotNull(aggregate.state().failures());

        ObjectMapper json = Json.newMapper();
        String written = json.writeValueAsString(aggregate);
        ReplicationLinkAggregate read = json.readValue(written, ReplicationLinkAggregate.class);

        assertEquals(run.state, read.state());
        assertEquals(written, json.writeValueAsString(read));
    }
}
