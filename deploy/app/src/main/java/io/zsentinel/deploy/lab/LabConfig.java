package io.zsentinel.deploy.lab;

import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.config.RetentionConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code <lab>/lab.yaml}: the lab's retention policies and replication links, written with fast demo schedules on first start. */
public record LabConfig(RetentionConfig retention, ReplicationConfig replication) {
    static final String DEFAULT = """
            # The lab's retention policies; edit and restart the lab (the format is controller.yaml's
            # "retention:" section, see README). Demo: a snapshot of primary/vm* every minute, the newest
            # 5 kept, plus 2 hourly; the oldest pruned first once the pool passes 70% usage.
            retention:
              tickSeconds: 5
              policies:
                - match: "primary/vm*"
                  keep: { frequently: 5, hourly: 2 }
                  frequentlyEvery: 1m
                  usageThresholdPercent: 70
            # Replication (controller.yaml's "replication:" section): primary/vm* to the standby
            # every 10 s and to the offsite DC every 5 minutes. The copies take no snapshot of their own;
            # the standby keeps what the primary keeps, the offsite DC more (its own "keep").
            replication:
              tickSeconds: 5
              links:
                - match: "primary/vm*"
                  targetServer: standby
                  targetRoot: standby
                  every: 10s
                - match: "primary/vm*"
                  targetServer: offsite
                  targetRoot: offsite
                  every: 5m
                  keep: { frequently: 10, hourly: 4 }
            """;

    public LabConfig {
        retention = retention == null ? RetentionConfig.none() : retention;
        replication = replication == null ? ReplicationConfig.none() : replication;
    }

    static LabConfig load(Path labDir) throws IOException {
        Path file = labDir.resolve("lab.yaml");
        if (!Files.exists(file)) {
            Files.writeString(file, DEFAULT);
        }
        return ConfigFiles.read(file, LabConfig.class);
    }
}
