package io.zsentinel.deploy.config;

import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;

import java.nio.file.Path;
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
 * restoreDirectory: /var/lib/zsentinel/restore   # optional; where RestoreFromSnapshot copies files
 * </pre>
 */
public record AgentConfig(ServerId server, KafkaConfig kafka, List<PoolName> pools, Integer heartbeatSeconds,
                          Integer scanSeconds, String zfsCommand, String zpoolCommand, String restoreDirectory) {
    /** Where restored files go when a restore command names no target directory. */
    public static final String DEFAULT_RESTORE_DIRECTORY = "/var/lib/zsentinel/restore";

    public AgentConfig(ServerId server, KafkaConfig kafka, List<PoolName> pools, Integer heartbeatSeconds,
                       Integer scanSeconds, String zfsCommand, String zpoolCommand) {
        this(server, kafka, pools, heartbeatSeconds, scanSeconds, zfsCommand, zpoolCommand, null);
    }

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
        restoreDirectory = restoreDirectory == null || restoreDirectory.isBlank() ? DEFAULT_RESTORE_DIRECTORY
                : restoreDirectory;
        if (!restoreDirectory.startsWith("/")) {
            throw new IllegalArgumentException("restoreDirectory must be an absolute path, not \"" + restoreDirectory + "\"");
        }
    }

    public Path restoreDirectoryPath() {
        return Path.of(restoreDirectory);
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
