package io.zsentinel.deploy.config;

import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;

import java.util.List;
import java.util.Objects;

/**
 * {@code zsentinel agent --config agent.yaml}: which server this is, which pools to watch and report,
 * how often. Example:
 * <pre>
 * server: primary
 * kafka: { bootstrap: "10.0.0.5:9092" }
 * pools: [ primary ]
 * heartbeatSeconds: 3
 * scanSeconds: 2
 * </pre>
 */
public record AgentConfig(ServerId server, KafkaConfig kafka, List<PoolName> pools, Integer heartbeatSeconds,
                          Integer scanSeconds, String zfsCommand, String zpoolCommand) {
    public AgentConfig {
        Objects.requireNonNull(server, "server is required");
        Objects.requireNonNull(kafka, "kafka is required");
        if (pools == null || pools.isEmpty()) {
            throw new IllegalArgumentException("pools: list at least one pool to watch");
        }
        pools = List.copyOf(pools);
        heartbeatSeconds = positive(heartbeatSeconds, 3, "heartbeatSeconds");
        scanSeconds = positive(scanSeconds, 2, "scanSeconds");
        zfsCommand = zfsCommand == null ? "zfs" : zfsCommand;
        zpoolCommand = zpoolCommand == null ? "zpool" : zpoolCommand;
    }

    private static int positive(Integer value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > 3600) {
            throw new IllegalArgumentException(name + " must be between 1 and 3600, not " + value);
        }
        return value;
    }
}
