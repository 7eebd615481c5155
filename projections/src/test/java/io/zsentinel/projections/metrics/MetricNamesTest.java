package io.zsentinel.projections.metrics;

import io.zsentinel.core.kafka.ConsumerLoopStatus;
import io.zsentinel.projections.HeldBack;
import io.zsentinel.core.values.PoolHealth;
import io.zsentinel.failover.api.ServerRegistered;
import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.link.RetentionHolds;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.zsentinel.projections.Events.A;
import static io.zsentinel.projections.Events.T0;
import static io.zsentinel.projections.Events.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What dashboards and alert rules rely on: every family of {@code /metrics} (as of issue 8) keeps its name,
 * its type and its label names, whatever writes the exposition. Label order and number format may differ.
 */
class MetricNamesTest {
    /** Today's families: name → type and label names (taken from the issue-8 output). */
    static final Map<String, String> FAMILIES = Map.ofEntries(
            Map.entry("zsentinel_replication_last_success_timestamp_seconds", "gauge [link, source, target]"),
            Map.entry("zsentinel_replication_lag_seconds", "gauge [link, source, target]"),
            Map.entry("zsentinel_replication_state", "gauge [link, source, state, target]"),
            Map.entry("zsentinel_replication_consecutive_failures", "gauge [link, source, target]"),
            Map.entry("zsentinel_replication_failing_since_timestamp_seconds", "gauge [link, source, target]"),
            Map.entry("zsentinel_server_up", "gauge [server]"),
            Map.entry("zsentinel_pool_capacity_percent", "gauge [pool, server]"),
            Map.entry("zsentinel_pool_healthy", "gauge [pool, server]"),
            Map.entry("zsentinel_dataset_snapshots", "gauge [dataset, server]"),
            Map.entry("zsentinel_retention_held_snapshots", "gauge [dataset, link, server]"),
            Map.entry("zsentinel_retention_held_bytes", "gauge [dataset, link, server]"),
            Map.entry("zsentinel_retention_held_since_timestamp_seconds", "gauge [dataset, link, server]"),
            Map.entry("zsentinel_retention_held_limit_snapshots", "gauge [dataset, link, server]"),
            Map.entry("zsentinel_consumer_up", "gauge [loop]"),
            Map.entry("zsentinel_consumer_ready", "gauge [loop]"),
            Map.entry("zsentinel_consumer_assigned_partitions", "gauge [loop]"),
            Map.entry("zsentinel_consumer_last_progress_age_seconds", "gauge [loop]"),
            Map.entry("zsentinel_consumer_lag_records", "gauge [loop]"),
            Map.entry("zsentinel_consumer_consecutive_failures", "gauge [loop]"),
            Map.entry("zsentinel_consumer_outage", "gauge [loop]"),
            Map.entry("zsentinel_consumer_dead_lettered_total", "counter [loop]"));

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? \\S+$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

    @Test
    void everyFamilyKeepsItsNameTypeAndLabels() {
        Map<String, String> seen = families(scrape());
        Map<String, String> kept = new TreeMap<>();
        FAMILIES.keySet().forEach(name -> kept.put(name, seen.get(name)));
        assertEquals(new TreeMap<>(FAMILIES), kept);
    }

    /** Type and label names of each family in {@code text}; a family with samples of two label sets fails. */
    static Map<String, String> families(String text) {
        Map<String, String> types = new TreeMap<>();
        Matcher type = TYPE.matcher(text);
        while (type.find()) {
            types.put(type.group(1), type.group(2));
        }
        Map<String, Set<String>> labels = new TreeMap<>();
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            Set<String> names = new TreeSet<>();
            Matcher label = LABEL.matcher(sample.group(3) == null ? "" : sample.group(3));
            while (label.find()) {
                names.add(label.group(1));
            }
            Set<String> before = labels.putIfAbsent(sample.group(1), names);
            if (before != null && !before.equals(names)) {
                throw new AssertionError(sample.group(1) + " has samples with labels " + before + " and " + names);
            }
        }
        Map<String, String> result = new TreeMap<>();
        labels.forEach((name, names) -> result.put(name, types.get(name) + " " + names));
        return result;
    }

    /** A link holding back three expired snapshots, a server with a pool, a dataset, a consumer loop. */
    static String scrape() {
        HeldBack fixture = HeldBack.under(RetentionPolicy.defaults()
                .withOnlyKeep(Map.of(SnapshotClass.FREQUENTLY, 3)).withMaxHeldForReplicas(40));
        Clock clock = fixture.clock();
        Instant now = clock.instant();
        SnapshotInventoryView inventory = fixture.inventory();
        ReplicationLinkView links = fixture.links();
        FailureDetector detector = new FailureDetector(DetectorSettings.DEFAULTS);
        FleetView fleet = new FleetView(clock, detector);
        fleet.on(new ServerRegistered(A, T0));
        fleet.on(pool(A, "primary", PoolHealth.ONLINE, 42, T0));
        detector.heartbeat(A, now);
        ConsumerLoopStatus loop = new ConsumerLoopStatus("controller-agent-events", true, 1, now, 0L, true, 0, 2,
                null, null);
        return new MetricsEndpoint(links, fleet, inventory, new RetentionHolds(inventory, links))
                .also(new ConsumerLoopMetrics(() -> List.of(loop), clock, Duration.ofSeconds(60)))
                .text();
    }
}
