package io.zsentinel.deploy.config;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;

import io.zsentinel.replication.retention.RetentionPolicy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One replication target for the datasets matching {@code match} (on {@code server}, any when absent):
 * {@code tank/vm1} on the source goes to {@code <targetRoot>/vm1} on {@code targetServer}.
 * <pre>
 * - match: "primary/vm*"
 *   targetServer: standby
 *   targetRoot: standby
 *   every: 1m
 *   bandwidthLimit: 50M     # bytes per second, optional (K, M, G suffixes)
 *   keep: { daily: 30, weekly: 12, monthly: 24 }   # retention of the copies, optional
 * </pre>
 * The copies are replicas: they take no snapshot of their own and their received snapshots expire by
 * {@code keep} (keep-more-on-offsite), or by the source dataset's own policy when {@code keep} is absent;
 * never the newest, which is the link's base. A retention policy matching a copy is not applied to it.
 */
public record LinkRule(String match, String server, String targetServer, String targetRoot, String every,
                       String bandwidthLimit, Map<String, Integer> keep) {
    public LinkRule(String match, String server, String targetServer, String targetRoot, String every,
                    String bandwidthLimit) {
        this(match, server, targetServer, targetRoot, every, bandwidthLimit, null);
    }

    public LinkRule {
        if (match == null || match.isBlank()) {
            throw new IllegalArgumentException("match is required: a dataset name or pattern such as primary/vm*");
        }
        if (server != null) {
            new ServerId(server);
        }
        if (targetServer == null) {
            throw new IllegalArgumentException("targetServer is required (the server id of the receiving agent)");
        }
        new ServerId(targetServer);
        if (targetRoot == null) {
            throw new IllegalArgumentException("targetRoot is required (the dataset under which copies live, e.g. backup)");
        }
        new DatasetName(targetRoot);
        every = every == null ? "15m" : every;
        PolicyRule.duration(every);
        bytesPerSecond(bandwidthLimit);
        keep = keep == null ? null : Map.copyOf(keep);
        replicaPolicy(match, keep); // refuse bad counts at load time, with the file and line
    }

    /** Whether {@code dataset} on {@code onServer} is one of this rule's copies (under its target root there). */
    public boolean isTarget(ServerId onServer, DatasetName dataset) {
        return onServer.value().equals(targetServer) && new DatasetName(targetRoot).contains(dataset);
    }

    /** The copies' own retention when {@code keep} is given: those counts, receive-only. */
    public Optional<RetentionPolicy> replicaPolicy() {
        return replicaPolicy(match, keep);
    }

    private static Optional<RetentionPolicy> replicaPolicy(String match, Map<String, Integer> keep) {
        if (keep == null) {
            return Optional.empty();
        }
        return Optional.of(new PolicyRule(match, null, keep, null, null, null, null, null, null, null, null, null, null).policy()
                .withReceiveOnly(true));
    }

    public Duration interval() {
        return PolicyRule.duration(every);
    }

    public long bandwidthBytesPerSecond() {
        return bytesPerSecond(bandwidthLimit);
    }

    public boolean matches(ServerId onServer, DatasetName dataset) {
        return (server == null || server.equals(onServer.value())) && PolicyRule.glob(match).matcher(dataset.value()).matches()
                && !isTarget(onServer, dataset); // never a copy of itself
    }

    /** The link for {@code dataset} on {@code onServer}, if this rule covers it. */
    public Optional<LinkId> linkFor(ServerId onServer, DatasetName dataset) {
        if (!matches(onServer, dataset)) {
            return Optional.empty();
        }
        PoolName pool = dataset.pool();
        String below = dataset.value().equals(pool.value()) ? "" : dataset.value().substring(pool.value().length());
        return Optional.of(new LinkId(new DatasetId(onServer, dataset),
                new DatasetId(new ServerId(targetServer), new DatasetName(targetRoot + below))));
    }

    static long bytesPerSecond(String text) {
        if (text == null || text.isBlank() || text.strip().equals("0")) {
            return 0;
        }
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        try {
            long n = Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bandwidthLimit \"" + text + "\" is not a rate such as 50M (bytes per second)");
        }
    }
}
