package io.zsentinel.deploy.replication;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.DatasetRegistered;
import io.zsentinel.replication.api.SnapshotRecorded;
import io.zsentinel.replication.api.link.CheckStall;
import io.zsentinel.replication.api.link.EstablishAndPlan;
import io.zsentinel.replication.api.link.EstablishLink;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.PlanReplication;
import io.zsentinel.replication.api.link.RetireLink;
import io.zsentinel.core.messages.Json;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The scheduler's rules: establish a link once, plan and check it when its inputs changed or it is due by time,
 * retire what no rule makes any more.
 */
class LinkSchedulerTickTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final DatasetId SOURCE = new DatasetId(ServerId.of("primary"), DatasetName.of("primary/vm1"));
    static final DatasetId TARGET = new DatasetId(ServerId.of("standby"), DatasetName.of("standby/vm1"));
    static final LinkId LINK = new LinkId(SOURCE, TARGET);
    static final LinkId GONE = new LinkId(SOURCE, new DatasetId(ServerId.of("offsite"), DatasetName.of("dr/vm1")));
    static final EstablishLink ESTABLISH = new EstablishLink(SOURCE, TARGET.server(), TARGET.dataset(), Duration.ofMinutes(1),
            LinkPolicy.defaults(), T0);

    /** Written by the trigger's processor thread in the test on Axon. */
    final List<Object> sent = Collections.synchronizedList(new ArrayList<>());
    final List<LinkId> known = new ArrayList<>();
    boolean refusePlans;
    /** What the link answers to a plan: when to plan it again by time alone (null: only on a change). */
    Instant lookAgainAt;
    final SnapshotInventoryView view = new SnapshotInventoryView();
    final LinkScheduler scheduler = new LinkScheduler(
            new ReplicationConfig(null, List.of(new LinkRule("primary/vm*", "primary", "standby", "standby", "1m", null))),
            view, new ReportedInventory(), () -> List.copyOf(known), link -> -1, gateway(), Clock.fixed(T0, ZoneOffset.UTC));

    CommandGateway gateway() {
        return (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait") && args.length == 1) {
                        if (refusePlans && (args[0] instanceof PlanReplication || args[0] instanceof EstablishAndPlan)) {
                            throw new IllegalStateException("link aggregate unavailable");
                        }
                        sent.add(args[0]);
                        return args[0] instanceof PlanReplication || args[0] instanceof EstablishAndPlan ? lookAgainAt : null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static SnapshotInfo snap(String name, long guid) {
        return new SnapshotInfo(SOURCE.dataset().snapshot(name), new Guid(guid), guid, T0, 1, 1);
    }

    void inView(SnapshotInfo... snapshots) {
        view.on(new DatasetRegistered(SOURCE, T0), T0);
        for (SnapshotInfo s : snapshots) {
            view.on(new SnapshotRecorded(SOURCE, s, null, T0), T0);
        }
    }

    List<Object> tick() {
        sent.clear();
        scheduler.tick();
        return List.copyOf(sent);
    }

    static List<String> types(List<Object> commands) {
        return commands.stream().map(c -> c.getClass().getSimpleName()).toList();
    }

    @Test
    void aLinkIsEstablishedOnceThenPlannedAndCheckedForAStallWhenItsInputsChanged() {
        SnapshotInfo s1 = snap("s1", 1);
        inView(s1);
        List<Object> first = tick();
        assertEquals(List.of("EstablishAndPlan"), types(first), "established, planned and checked in one command");
        assertEquals(ESTABLISH, ((EstablishAndPlan) first.get(0)).establish());
        PlanReplication plan = ((EstablishAndPlan) first.get(0)).plan();
        assertEquals(LINK, plan.linkId());
        assertEquals(List.of(s1), plan.sourceSnapshots());
        assertEquals(List.of(), plan.targetSnapshots(), "nothing known of the target yet");
        assertEquals(T0, plan.now());
        assertEquals(List.of(ESTABLISH, plan, new CheckStall(LINK, T0)), ((EstablishAndPlan) first.get(0)).steps());

        assertEquals(List.of(), tick(), "nothing changed and the link named no time: not planned again");
        view.on(new SnapshotRecorded(SOURCE, snap("s2", 2), null, T0), T0);
        assertEquals(List.of("PlanReplication", "CheckStall"), types(tick()), "established already; the source changed");
        assertEquals(List.of(), tick());
    }

    @Test
    void aLinkDueByTimeIsPlannedAgainThoughNothingChanged() {
        inView(snap("s1", 1));
        lookAgainAt = T0; // the link's answer: its next transfer is due now (the clock stands still)
        tick();
        assertEquals(List.of("PlanReplication", "CheckStall"), types(tick()));
        lookAgainAt = T0.plusSeconds(60);
        tick();
        assertEquals(List.of(), tick(), "not due before the time the link named");
    }

    @Test
    void aDatasetNoRuleMatchesHasNoLink() {
        view.on(new DatasetRegistered(new DatasetId(ServerId.of("primary"), DatasetName.of("scratch/tmp")), T0), T0);
        view.on(new DatasetRegistered(TARGET, T0), T0);
        assertEquals(List.of(), tick());
    }

    @Test
    void aFailedPlanEstablishesTheLinkAgainAtTheNextTick() {
        inView(snap("s1", 1));
        refusePlans = true;
        assertEquals(List.of(), tick(), "refused: the link is established with its first plan or not at all");
        assertEquals(List.of(ESTABLISH), tick(), "after a failure, established apart (it shows while its plans fail); "
                + "no stall check after a failed plan");
        refusePlans = false;
        assertEquals(List.of("EstablishLink", "PlanReplication", "CheckStall"), types(tick()));
        assertEquals(List.of(), tick(), "planned");
        view.on(new SnapshotRecorded(SOURCE, snap("s2", 2), null, T0), T0);
        assertEquals(List.of("PlanReplication", "CheckStall"), types(tick()));
    }

    @Test
    void aKnownLinkNoRuleMakesAnyMoreIsRetiredAndAConfiguredOneIsNot() {
        known.add(LINK);
        known.add(GONE);
        // the inventory is still empty: retiring goes by the configuration alone
        assertEquals(List.of(new RetireLink(GONE, "no rule of the replication configuration makes this link", T0)), tick());
    }

    @Test
    void aSnapshotJustRecordedIsPlannedAtOnceEvenBeforeTheViewShowsIt() {
        SnapshotInfo s1 = snap("s1", 1), s2 = snap("s2", 2);
        inView(s1);
        scheduler.snapshotRecorded(SOURCE, s2);
        assertEquals(List.of("EstablishAndPlan"), types(sent));
        assertEquals(List.of(s1, s2), ((EstablishAndPlan) sent.get(0)).plan().sourceSnapshots());

        sent.clear();
        scheduler.snapshotRecorded(SOURCE, s1);
        assertEquals(List.of(s1), assertInstanceOf(PlanReplication.class, sent.get(0)).sourceSnapshots(),
                "already in the view: not added twice");

        sent.clear();
        scheduler.snapshotRecorded(TARGET, snap("s9", 9));
        assertEquals(List.of(), sent, "not the source of any link");
    }

    @Test
    void theTriggerPlansOnlyOnceTheSchedulerIsStarted() {
        inView(snap("s1", 1));
        ReplicationTrigger trigger = new ReplicationTrigger();
        SnapshotInfo s2 = snap("s2", 2);
        trigger.on(new SnapshotRecorded(SOURCE, s2, null, T0));
        assertEquals(List.of(), sent, "not started: the ticker catches up alone");

        trigger.startWith(scheduler);
        trigger.on(new SnapshotRecorded(SOURCE, s2, null, T0));
        assertEquals(List.of("EstablishAndPlan"), types(sent));
        assertEquals(List.of(snap("s1", 1), s2), ((EstablishAndPlan) sent.get(0)).plan().sourceSnapshots());
    }

    /**
     * On a real tracking processor, the trigger plans only snapshots recorded since its start, also after a
     * restart: it keeps no token where the others keep theirs (what it missed is the ticker's business), so a
     * controller that was down never plans a backlog of snapshots one by one.
     */
    @Test
    void theTriggersProcessorStartsAtTheHeadAtEveryStartAndKeepsNoToken() {
        System.setProperty("axoniq.update-checker.disabled", "true");
        inView();
        InMemoryEventStorageEngine store = new InMemoryEventStorageEngine();
        TokenStore persisted = new InMemoryTokenStore(); // stands for token_entry, which outlives a controller
        Configuration first = withTrigger(store, persisted);
        SnapshotInfo s1 = snap("s1", 1);
        record(first, 0, s1);
        await().atMost(Duration.ofSeconds(60)).until(() -> planned(s1));
        first.shutdown();

        SnapshotInfo whileDown = snap("s2", 2);
        Configuration down = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> JacksonSerializer.builder().objectMapper(Json.newMapper()).build())
                .configureEmbeddedEventStore(c -> store).start();
        record(down, 1, whileDown);
        down.shutdown();

        Configuration second = withTrigger(store, persisted);
        try {
            SnapshotInfo s3 = snap("s3", 3);
            record(second, 2, s3);
            await().atMost(Duration.ofSeconds(60)).until(() -> planned(s3));
            assertFalse(planned(whileDown), "the trigger planned a snapshot recorded while the controller was down");
        } finally {
            second.shutdown();
        }
    }

    private Configuration withTrigger(InMemoryEventStorageEngine store, TokenStore persisted) {
        ReplicationTrigger trigger = new ReplicationTrigger();
        trigger.startWith(scheduler);
        Configuration axon = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> JacksonSerializer.builder().objectMapper(Json.newMapper()).build())
                .configureEmbeddedEventStore(c -> store)
                .eventProcessing(ep -> trigger.register(ep.registerTokenStore(c -> persisted)))
                .start();
        StreamingEventProcessor processor = axon.eventProcessingConfiguration()
                .eventProcessor(ReplicationTrigger.PROCESSOR, StreamingEventProcessor.class).orElseThrow();
        // Its position is taken at the store's head once it runs: what is recorded after that is its business.
        await().atMost(Duration.ofSeconds(60)).until(() -> !processor.processingStatus().isEmpty());
        return axon;
    }

    private static void record(Configuration axon, long seq, SnapshotInfo snapshot) {
        axon.eventBus().publish(new GenericDomainEventMessage<>("Dataset", SOURCE.toString(), 10 + seq,
                new SnapshotRecorded(SOURCE, snapshot, null, T0)));
    }

    private boolean planned(SnapshotInfo snapshot) {
        return List.copyOf(sent).stream().anyMatch(c -> c instanceof PlanReplication p
                && p.sourceSnapshots().contains(snapshot)
                || c instanceof EstablishAndPlan e && e.plan().sourceSnapshots().contains(snapshot));
    }
}

