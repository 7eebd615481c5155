package io.zsentinel.deploy.failover;

import io.zsentinel.core.ManualClock;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.RecordFinalSend;
import io.zsentinel.failover.api.RecordFinalSnapshot;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.projections.link.LinkRow;
import io.zsentinel.projections.service.FailoverSummary;
import io.zsentinel.projections.service.ServicesView.Switchover;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The switchover's eyes: a final snapshot is told once the old primary's inventory shows it, sent once the copy holds its guid. */
class SwitchoverWatchTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final ServiceName VM = ServiceName.of("vm");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final DatasetName VM1 = DatasetName.of("primary/vm1");
    static final DatasetName COPY = DatasetName.of("standby/vm1");
    static final FailoverId ID = new FailoverId(UUID.nameUUIDFromBytes("s".getBytes()));
    static final SnapshotInfo FINAL = new SnapshotInfo(VM1.snapshot("zsentinel-switchover-2"), new Guid(42), 9, T0, 1, 1);

    final ManualClock clock = new ManualClock(T0);
    final Map<DatasetId, List<SnapshotInfo>> inventory = new HashMap<>();
    final List<Object> sent = new ArrayList<>();

    SwitchoverWatch watch(FailoverStep step) {
        Switchover w = new Switchover(VM, ID, PRIMARY, STANDBY, 2, List.of(new DatasetPromotion(COPY,
                COPY.snapshot("zsentinel-switchover-2"), VM1)), step, FailoverSummary.RUNNING);
        return new SwitchoverWatch(() -> List.of(w), id -> inventory.getOrDefault(id, List.of()), null, sent::add, clock);
    }

    @Test
    void theFinalSnapshotIsToldOnceTheOldPrimarysInventoryShowsIt() {
        SwitchoverWatch watch = watch(FailoverStep.SNAPSHOTTING);
        watch.tick();
        assertEquals(List.of(), sent, "not in the inventory yet");
        inventory.put(new DatasetId(PRIMARY, VM1), List.of(FINAL));
        watch.tick();
        assertEquals(List.of(new RecordFinalSnapshot(VM, ID, FINAL.name(), new Guid(42), true,
                "in the inventory of primary with guid " + new Guid(42), T0)), sent);
    }

    /** A link that cannot carry the final snapshot (paused here) fails the send at once, not at the window's end. */
    @Test
    void aFinalSendWhoseLinkIsPausedIsToldFailedAtOnce() {
        LinkId link = new LinkId(new DatasetId(PRIMARY, VM1), new DatasetId(STANDBY, COPY));
        Map<LinkId, LinkRow> rows = new HashMap<>();
        Switchover w = new Switchover(VM, ID, PRIMARY, STANDBY, 2, List.of(new DatasetPromotion(COPY,
                COPY.snapshot("zsentinel-switchover-2"), VM1)), FailoverStep.SENDING, FailoverSummary.RUNNING);
        SwitchoverWatch watch = new SwitchoverWatch(() -> List.of(w), id -> inventory.getOrDefault(id, List.of()),
                id -> Optional.ofNullable(rows.get(id)), null, sent::add, clock);
        inventory.put(new DatasetId(PRIMARY, VM1), List.of(FINAL));
        rows.put(link, row(link, LinkState.TRANSFERRING, null));
        watch.tick();
        assertEquals(List.of(), sent, "on its way");
        rows.put(link, row(link, LinkState.PAUSED, new LinkRow.OperatorMark("bob", "maintenance", T0)));
        watch.tick();
        assertEquals(List.of(new RecordFinalSend(VM, ID, VM1, false, "link " + link + " is paused by bob (maintenance)",
                T0)), sent);
    }

    private static LinkRow row(LinkId id, LinkState state, LinkRow.OperatorMark paused) {
        return new LinkRow(id, new LinkRow.Endpoint(PRIMARY.value(), VM1.value()), new LinkRow.Endpoint(STANDBY.value(),
                COPY.value()), state, 10, null, null, null, null, null, 0, null, null, null, null, null, null, paused,
                null, null);
    }

    @Test
    void theFinalSendIsToldOnceTheStandbysCopyHoldsTheSameGuid() {
        SwitchoverWatch watch = watch(FailoverStep.SENDING);
        inventory.put(new DatasetId(PRIMARY, VM1), List.of(FINAL));
        inventory.put(new DatasetId(STANDBY, COPY), List.of(new SnapshotInfo(COPY.snapshot("zsentinel-switchover-2"),
                new Guid(41), 9, T0, 1, 1)));
        watch.tick();
        assertEquals(List.of(), sent, "a snapshot of the same name but another guid is not the final one");
        inventory.put(new DatasetId(STANDBY, COPY), List.of(new SnapshotInfo(COPY.snapshot("zsentinel-switchover-2"),
                new Guid(42), 9, T0, 1, 1)));
        watch.tick();
        assertEquals(List.of(new RecordFinalSend(VM, ID, VM1, true, "standby:standby/vm1 holds guid " + new Guid(42), T0)),
                sent);
    }

    @Test
    void theOldPrimarysFinalSendCarriesTheSwitchoversGenerationOnlyWhileItRuns() {
        Switchover running = new Switchover(VM, ID, PRIMARY, STANDBY, 2, List.of(new DatasetPromotion(COPY,
                COPY.snapshot("zsentinel-switchover-2"), VM1)), FailoverStep.SENDING, FailoverSummary.RUNNING);
        assertEquals(1, SwitchoverWatch.sendingGeneration(List.of(running), new DatasetId(PRIMARY, VM1)),
                "the generation it was demoted at, older than the one the standby is promoted at");
        assertEquals(0, SwitchoverWatch.sendingGeneration(List.of(running), new DatasetId(STANDBY, COPY)));
        assertEquals(0, SwitchoverWatch.sendingGeneration(List.of(new Switchover(VM, ID, PRIMARY, STANDBY, 2,
                running.datasets(), null, FailoverSummary.SWITCHED)), new DatasetId(PRIMARY, VM1)), "a switched one: stale");
    }
}
