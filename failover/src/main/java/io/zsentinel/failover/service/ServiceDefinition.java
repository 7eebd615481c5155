package io.zsentinel.failover.service;

import io.zsentinel.core.values.Hook;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ServiceName;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A service: the datasets matching {@code datasets} on {@code primary}, served at one endpoint. {@code standbys}
 * in preference order, each a replication target of those datasets; {@code maxDataLoss}: a standby whose newest
 * common snapshot is older than this is not failed over to automatically. Hooks are optional: without
 * {@code fence}, promotion waits for the failed primary's lease to lapse certainly.
 */
public record ServiceDefinition(ServiceName name, DatasetGlob datasets, ServerId primary, List<ServerId> standbys,
                                Duration maxDataLoss, Hook fence, Hook promote, Hook demote) {
    public static final Duration DEFAULT_MAX_DATA_LOSS = Duration.ofMinutes(15);

    public ServiceDefinition {
        Objects.requireNonNull(name, "name is required: the service's name, such as vm-storage");
        if (datasets == null) {
            throw new IllegalArgumentException("service " + name + ": datasets is required, the datasets it serves,"
                    + " such as \"tank/vm*\"");
        }
        if (primary == null) {
            throw new IllegalArgumentException("service " + name + ": primary is required, the server id that serves it now");
        }
        if (standbys == null || standbys.isEmpty()) {
            throw new IllegalArgumentException("service " + name + ": standbys is required, at least one server to fail"
                    + " over to, in preference order, such as [standby-01]");
        }
        standbys = List.copyOf(standbys);
        if (standbys.contains(primary)) {
            throw new IllegalArgumentException("service " + name + ": " + primary + " is its primary and cannot also be"
                    + " its standby; list other servers under standbys");
        }
        if (new HashSet<>(standbys).size() != standbys.size()) {
            throw new IllegalArgumentException("service " + name + ": standbys " + standbys + " names a server twice;"
                    + " list each once, in preference order");
        }
        maxDataLoss = maxDataLoss == null ? DEFAULT_MAX_DATA_LOSS : maxDataLoss;
        if (maxDataLoss.isNegative() || maxDataLoss.isZero()) {
            throw new IllegalArgumentException("service " + name + ": maxDataLoss must be positive, such as 15m, not "
                    + maxDataLoss);
        }
    }

    public boolean serves(DatasetName dataset) {
        return datasets.matches(dataset);
    }

    /** Where {@code server} stands among the standbys, 1 first; empty when it is none of them. */
    public Optional<Integer> preferenceOf(ServerId server) {
        int i = standbys.indexOf(server);
        return i < 0 ? Optional.empty() : Optional.of(i + 1);
    }

    public Optional<Hook> fenceHook() {
        return Optional.ofNullable(fence);
    }

    public Optional<Hook> promoteHook() {
        return Optional.ofNullable(promote);
    }

    public Optional<Hook> demoteHook() {
        return Optional.ofNullable(demote);
    }
}
