package io.zsentinel.projections.web;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.Events;
import io.zsentinel.projections.audit.AuditView;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.Operator;
import io.zsentinel.replication.api.RetentionPolicyChanged;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import io.zsentinel.replication.retention.SnapshotNaming;
import io.zsentinel.replication.api.link.CircuitOpened;
import io.zsentinel.replication.api.link.LinkEvent;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkPaused;
import io.zsentinel.replication.api.link.LinkPolicy;
import io.zsentinel.replication.api.link.LinkState;
import io.zsentinel.replication.api.link.LinkStateChanged;
import io.zsentinel.replication.api.link.ReplicationFailed;
import io.zsentinel.replication.api.link.ReplicationLinkEstablished;
import io.zsentinel.replication.api.link.ReplicationScheduled;
import io.zsentinel.replication.api.link.ReplicationSucceeded;
import io.zsentinel.replication.api.link.SnapshotRef;
import io.zsentinel.replication.api.link.TargetDiverged;
import io.zsentinel.replication.api.link.TransferProgressRecorded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.zsentinel.projections.Events.A;
import static io.zsentinel.projections.Events.B;
import static io.zsentinel.projections.Events.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard as a browser renders it: one link in each state, served from views fed known events,
 * loaded in headless Chromium; the rendered rows must carry each state, its lag and what to do.
 * {@code -Ddashboard.screenshot=/tmp/dash.png} also saves a picture of it.
 */
class DashboardInBrowserIT {
    private static final Instant NOW = T0.plusSeconds(600);
    private static final long BASE_TXG = 100;
    private static final long NEWER_TXG = 400;

    private static ApiServer api;
    private static HeadlessChromium.Page page;

    @BeforeAll
    static void render() throws Exception {
        HeadlessChromium.requireInstalled();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        ReplicationLinkView links = new ReplicationLinkView(clock, inventory);
        new LinkStates(links, inventory).fill();
        Routes routes = ZsentinelApi.routes(inventory, new FleetView(clock, new FailureDetector(DetectorSettings.DEFAULTS)), new AuditView(),
                links, new HealthEndpoint());
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), routes, 2);
        String screenshot = System.getProperty("dashboard.screenshot");
        page = HeadlessChromium.load("http://127.0.0.1:" + api.port() + "/",
                screenshot == null ? null : Path.of(screenshot));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theScriptsRanWithoutConsoleErrors() {
        assertEquals(List.of(), page.console());
        assertTrue(page.dom().contains("times in UTC"), "the page refreshed: " + page.dom());
    }

    @Test
    void everyLinkShowsItsStateAndLag() {
        assertRow("in-sync", "0 s", "8 min ago");
        assertRow("lagging", "8 min", "8 min ago");
        assertRow("transferring", "8 min", "incremental s400: 3.0 MiB at 307.2 KiB/s");
        assertRow("failing", "8 min", "failing since 2025-03-01 10:09:00", "no space left on store-b",
                "circuit to store-b open until");
        assertRow("diverged", "8 min", "only on the target: backup/diverged@oops",
                "zsentinel replication resolve 'store-a:primary/diverged-&gt;store-b:backup/diverged' --rollback-target");
        assertRow("paused", "8 min", "paused by alice@ops since 2025-03-01 10:09:30: maintenance");
        assertLinkRow("paused-diverged", "paused", "8 min", "diverged since 2025-03-01 10:08:20", "paused by alice@ops");
    }

    @Test
    void aLinkHoldingBackRetentionSaysSoOnItsRowAndOnItsDataset() {
        // held back far longer than the link's interval (1 minute): an alarm
        assertRow("diverged", "8 min", "<span class=\"alarm\">retention of primary/diverged held back since 2025-03-01 14:10:00: 2 snapshots,"
                + " 439.5 KiB kept beyond policy (limit 50, then the oldest are pruned and store-b:backup/diverged skips them)");
        String dom = page.dom();
        int dataset = dom.indexOf("<tr class=\"held-back\">");
        assertTrue(dataset >= 0 && dom.substring(dataset, dom.indexOf("</tr>", dataset))
                .contains("retention held back by link store-a:primary/diverged"), dom);
    }

    @Test
    void onlyTheLinksThatStopDataAreAlarmsAndTheHeadingCountsThem() {
        for (String link : LinkStates.LINKS) {
            boolean alarm = link.equals("failing") || link.endsWith("diverged");
            assertEquals(alarm, openingTag(link).contains("class=\"alarm\""), openingTag(link));
        }
        assertTrue(page.dom().contains("<span id=\"link-alarms\">1 failing, 2 diverged</span>"), page.dom());
    }

    private static void assertRow(String state, String lag, String... texts) {
        assertLinkRow(state, state, lag, texts);
    }

    private static void assertLinkRow(String link, String state, String lag, String... texts) {
        String row = row(link);
        assertTrue(row.contains("<span class=\"state " + state + "\">" + state + "</span>"), row);
        assertTrue(row.contains("<td class=\"num short\">" + lag + "</td>"), row);
        for (String text : texts) {
            assertTrue(row.contains(text), "'" + text + "' in " + row);
        }
    }

    /** The row of the link named after its state, as Chromium serialised it. */
    private static String row(String link) {
        String dom = page.dom();
        int start = dom.indexOf(openingTag(link));
        return dom.substring(start, dom.indexOf("</tr>", start));
    }

    private static String openingTag(String link) {
        String dom = page.dom();
        String id = LinkStates.link(link).toString();
        // Newer Chromium escapes '>' in attribute values when it serialises, older does not.
        int at = Math.max(dom.indexOf("data-link=\"" + id.replace(">", "&gt;") + "\""),
                dom.indexOf("data-link=\"" + id + "\""));
        assertTrue(at >= 0, "no row for the " + link + " link in " + dom);
        int start = dom.lastIndexOf("<tr", at);
        return dom.substring(start, dom.indexOf("\">", at) + 2);
    }

    /**
     * One link per state, {@code store-a:primary/<name> -> store-b:backup/<name>}, each with its own
     * history, named after its state; and a diverged link an operator paused.
     */
    private record LinkStates(ReplicationLinkView links, SnapshotInventoryView inventory) {
        static final List<String> LINKS = List.of("in-sync", "lagging", "transferring", "failing", "diverged",
                "paused", "paused-diverged");
        static final Operator ALICE = new Operator("alice@ops");

        static LinkId link(String name) {
            return new LinkId(new DatasetId(A, DatasetName.of("primary/" + name)),
                    new DatasetId(B, DatasetName.of("backup/" + name)));
        }

        void fill() {
            for (String name : LINKS) {
                LinkId id = link(name);
                List<LinkEvent> events = new ArrayList<>(replicatedOnce(id));
                inventory.on(Events.recorded(id.source(), "s" + BASE_TXG, BASE_TXG, true), T0);
                if (!name.equals("in-sync")) {
                    inventory.on(Events.recorded(id.source(), "s" + NEWER_TXG, NEWER_TXG, true), T0);
                }
                if (name.equals("diverged")) {
                    holdBackRetention(id);
                }
                events.addAll(switch (name) {
                    case "in-sync" -> List.of();
                    case "lagging" -> List.of(changed(id, LinkState.IN_SYNC, LinkState.LAGGING, 400));
                    case "transferring" -> transferring(id);
                    case "failing" -> failing(id);
                    case "diverged" -> diverged(id);
                    case "paused" -> List.of(new LinkPaused(id, ALICE, "maintenance", at(570)),
                            changed(id, LinkState.IN_SYNC, LinkState.PAUSED, 570));
                    case "paused-diverged" -> {
                        List<LinkEvent> held = new ArrayList<>(diverged(id));
                        held.add(new LinkPaused(id, ALICE, "inspecting the target", at(570)));
                        held.add(changed(id, LinkState.DIVERGED, LinkState.PAUSED, 570));
                        yield held;
                    }
                    default -> throw new IllegalArgumentException(name);
                });
                long sequence = 0;
                for (LinkEvent e : events) {
                    links.on(e, sequence++);
                }
            }
        }

        /** Three frequent snapshots after the base, one kept: the two older are held back for the target. */
        private void holdBackRetention(LinkId id) {
            inventory.on(new RetentionPolicyChanged(id.source(), RetentionPolicy.defaults()
                    .withOnlyKeep(java.util.Map.of(SnapshotClass.FREQUENTLY, 1)), T0), T0);
            for (long txg : new long[] {200, 250, 300}) {
                inventory.on(Events.recorded(id.source(), SnapshotNaming.name(SnapshotClass.FREQUENTLY,
                        T0.plusSeconds(txg * 60)), txg, true), T0);
            }
        }

        private static List<LinkEvent> replicatedOnce(LinkId id) {
            UUID first = transfer(id, 1);
            return List.of(new ReplicationLinkEstablished(id, id.source(), id.target(), Duration.ofMinutes(1),
                            LinkPolicy.defaults(), T0),
                    new ReplicationScheduled(id, first, null, ref(id.source(), BASE_TXG), false, null, false, 1,
                            at(BASE_TXG)),
                    new ReplicationSucceeded(id, first, ref(id.source(), BASE_TXG), 4096, at(BASE_TXG + 1)),
                    changed(id, LinkState.LAGGING, LinkState.IN_SYNC, BASE_TXG + 1));
        }

        private static List<LinkEvent> transferring(LinkId id) {
            UUID second = transfer(id, 2);
            return List.of(scheduled(id, second, 580), changed(id, LinkState.LAGGING, LinkState.TRANSFERRING, 580),
                    new TransferProgressRecorded(id, second, 3 * 1024 * 1024, at(590)));
        }

        private static List<LinkEvent> failing(LinkId id) {
            UUID second = transfer(id, 2);
            return List.of(scheduled(id, second, 530), changed(id, LinkState.LAGGING, LinkState.TRANSFERRING, 530),
                    new ReplicationFailed(id, second, "cannot receive: no space left on store-b", null, 1,
                            at(660), at(540)),
                    new CircuitOpened(id, B, 5, at(900), at(540)),
                    changed(id, LinkState.TRANSFERRING, LinkState.FAILING, 540));
        }

        private static List<LinkEvent> diverged(LinkId id) {
            String reason = "target " + id.target().dataset() + " on store-b has a snapshot of its own";
            return List.of(new TargetDiverged(id, reason, ref(id.source(), BASE_TXG),
                            List.of(ref(id.target(), "oops", 500)), at(500)),
                    changed(id, LinkState.IN_SYNC, LinkState.DIVERGED, 500));
        }

        private static ReplicationScheduled scheduled(LinkId id, UUID transfer, long second) {
            return new ReplicationScheduled(id, transfer, ref(id.source(), BASE_TXG), ref(id.source(), NEWER_TXG),
                    true, null, false, 1, at(second));
        }

        private static LinkStateChanged changed(LinkId id, LinkState from, LinkState to, long second) {
            return new LinkStateChanged(id, from, to, at(second));
        }

        private static SnapshotRef ref(DatasetId dataset, long txg) {
            return ref(dataset, "s" + txg, txg);
        }

        /** As {@link Events#recorded} makes it: guid and creation derive from the txg. */
        private static SnapshotRef ref(DatasetId dataset, String shortName, long txg) {
            return new SnapshotRef(dataset.dataset().snapshot(shortName), new Guid(Events.guidFor(dataset, txg)),
                    at(txg));
        }

        private static UUID transfer(LinkId id, int n) {
            return UUID.nameUUIDFromBytes((id + "#" + n).getBytes(StandardCharsets.UTF_8));
        }

        private static Instant at(long second) {
            return T0.plusSeconds(second);
        }
    }
}
