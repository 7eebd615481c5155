package io.zsentinel.replication.schedule;

import io.zsentinel.core.messages.facts.BookmarkInfo;
import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.retention.RetentionPolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory ports for the schedules' tests: the store's view, and the agents' latest reports. */
final class Inventories {
    private Inventories() {
    }

    /** The view: datasets in the order they became known, each with its snapshots oldest first. */
    static final class View implements ReplicationInventory {
        final Map<DatasetId, List<SnapshotInfo>> datasets = new LinkedHashMap<>();
        final Map<DatasetId, Long> versions = new HashMap<>();
        final Map<DatasetId, RetentionPolicy> assigned = new HashMap<>();

        View with(DatasetId dataset, SnapshotInfo... snapshots) {
            datasets.computeIfAbsent(dataset, d -> new ArrayList<>()).addAll(List.of(snapshots));
            return changed(dataset);
        }

        /** The store recorded something else of the dataset (a hold, an order, an outcome). */
        View changed(DatasetId dataset) {
            versions.merge(dataset, 1L, Long::sum);
            return this;
        }

        @Override
        public long version(DatasetId dataset) {
            return versions.getOrDefault(dataset, -1L);
        }

        @Override
        public Optional<RetentionPolicy> assignedPolicy(DatasetId dataset) {
            return Optional.ofNullable(assigned.get(dataset));
        }

        @Override
        public List<DatasetId> datasets() {
            return List.copyOf(datasets.keySet());
        }

        @Override
        public List<DatasetId> datasets(ServerId server) {
            return datasets.keySet().stream().filter(d -> d.server().equals(server)).toList();
        }

        @Override
        public List<SnapshotInfo> snapshots(DatasetId dataset) {
            return List.copyOf(datasets.getOrDefault(dataset, List.of()));
        }
    }

    /** The agents' latest reports. */
    static final class Reports implements AgentReports {
        record Report(List<SnapshotInfo> snapshots, List<BookmarkInfo> bookmarks, Instant writtenSeenAt, Instant at) {
        }

        final Map<DatasetId, Report> reports = new HashMap<>();
        final Map<DatasetId, Long> versions = new HashMap<>();

        Reports with(DatasetId dataset, Instant at, SnapshotInfo... snapshots) {
            reports.put(dataset, new Report(List.of(snapshots), List.of(), null, at));
            versions.merge(dataset, 1L, Long::sum);
            return this;
        }

        @Override
        public long version(DatasetId dataset) {
            return versions.getOrDefault(dataset, -1L);
        }

        @Override
        public Optional<List<SnapshotInfo>> snapshots(DatasetId dataset) {
            return Optional.ofNullable(reports.get(dataset)).map(Report::snapshots);
        }

        @Override
        public List<BookmarkInfo> bookmarks(DatasetId dataset) {
            return Optional.ofNullable(reports.get(dataset)).map(Report::bookmarks).orElse(List.of());
        }

        @Override
        public Instant reportedAt(DatasetId dataset) {
            return Optional.ofNullable(reports.get(dataset)).map(Report::at).orElse(null);
        }

        @Override
        public Instant writtenSeenAt(DatasetId dataset) {
            return Optional.ofNullable(reports.get(dataset)).map(Report::writtenSeenAt).orElse(null);
        }
    }
}
