package io.zsentinel.deploy.operator;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.InvalidNameException;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.web.ApiException;
import io.zsentinel.replication.api.DatasetId;

import java.util.List;
import java.util.Optional;

/** Which server a dataset named in a request is on, from the inventory view: the same name may live on several. */
final class DatasetLocator {
    private final SnapshotInventoryView inventory;

    DatasetLocator(SnapshotInventoryView inventory) {
        this.inventory = inventory;
    }

    DatasetId locate(String name, Optional<String> server) {
        DatasetName dataset = datasetName(name);
        Optional<ServerId> on = server.map(DatasetLocator::serverId);
        // the ids only: summaries of every dataset (each one's newest snapshot) cost ~10k datasets' snapshots a request
        List<ServerId> servers = inventory.datasetIds().stream()
                .filter(d -> d.dataset().equals(dataset))
                .map(DatasetId::server)
                .toList();
        if (servers.isEmpty()) {
            throw ApiException.notFound("dataset \"" + dataset + "\" is not known on any server",
                    "GET /api/datasets lists the known datasets; names are case-sensitive");
        }
        if (on.isPresent()) {
            if (!servers.contains(on.get())) {
                throw ApiException.notFound("dataset \"" + dataset + "\" is not known on server \"" + on.get()
                        + "\"", "it is on " + servers);
            }
            return new DatasetId(on.get(), dataset);
        }
        if (servers.size() > 1) {
            throw ApiException.badRequest("dataset \"" + dataset + "\" is on several servers: " + servers,
                    "say which: \"server\": \"" + servers.get(0) + "\" (CLI: --server " + servers.get(0) + ")");
        }
        return new DatasetId(servers.get(0), dataset);
    }

    /** Every dataset of {@code server}, in name order. */
    List<DatasetId> datasetsOf(String server) {
        ServerId id = serverId(server);
        List<DatasetId> datasets = inventory.datasets(Optional.of(id)).stream()
                .map(d -> new DatasetId(d.server(), d.dataset()))
                .toList();
        if (datasets.isEmpty()) {
            throw ApiException.notFound("server \"" + id + "\" has no known datasets",
                    "GET /api/servers lists the servers, GET /api/datasets their datasets");
        }
        return datasets;
    }

    static DatasetName datasetName(String text) {
        try {
            return new DatasetName(text);
        } catch (InvalidNameException e) {
            throw ApiException.badRequest(e.getMessage(),
                    "give a ZFS dataset name such as primary/vm1, URL-encoded as one path segment: primary%2Fvm1");
        }
    }

    static ServerId serverId(String text) {
        try {
            return new ServerId(text);
        } catch (InvalidNameException e) {
            throw ApiException.badRequest(e.getMessage(), "GET /api/servers lists the server ids");
        }
    }
}
