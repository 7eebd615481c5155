package io.zsentinel.deploy.config;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;

import java.time.Duration;
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
 * </pre>
 */
public record LinkRule(String match, String server, String targetServer, String targetRoot, String every,
                       String bandwidthLimit) {
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
    }

    public Duration interval() {
        return PolicyRule.duration(every);
    }

    public long bandwidthBytesPerSecond() {
        return bytesPerSecond(bandwidthLimit);
    }

    public boolean matches(ServerId onServer, DatasetName dataset) {
        return (server == null || server.equals(onServer.value())) && PolicyRule.glob(match).matcher(dataset.value()).matches()
                && !(onServer.value().equals(targetServer) && new DatasetName(targetRoot).contains(dataset)); // never a copy of itself
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
