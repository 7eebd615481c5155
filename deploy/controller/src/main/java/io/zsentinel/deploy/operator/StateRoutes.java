package io.zsentinel.deploy.operator;

import io.zsentinel.failover.detect.DetectorSettings;
import io.zsentinel.failover.detect.FailureDetector;
import io.zsentinel.projections.fleet.FleetView;
import io.zsentinel.projections.fleet.ServerRow;
import io.zsentinel.projections.inventory.DatasetSummary;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.link.LinkRow;
import io.zsentinel.projections.link.ReplicationLinkView;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.projections.service.ServicesView;
import io.zsentinel.projections.web.ApiException;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.projections.web.ApiResponse;
import io.zsentinel.projections.web.Routes;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/state?asOf=T}: the fleet as it stood at instant {@code T} — servers (registration, pools, declared
 * failures, maintenance), services (who served, at which generation, failovers), replication links (state, common
 * base, lag at T) and dataset and snapshot counts — computed by replaying the event store's events up to {@code T}
 * into fresh views (the same view classes as the live ones, on a clock stopped at {@code T}), never touching the
 * live views. Heartbeats are not events: a server's liveness at {@code T} is not known, only its recorded health.
 */
public final class StateRoutes {
    private final Supplier<EventStore> store;
    private final DetectorSettings detector;

    /** What the fleet looked like at {@code asOf}, from {@code events} events stored up to then. */
    public record State(Instant asOf, long events, List<ServerRow> servers, List<ServiceRow> services,
                        List<LinkRow> links, int datasets, long snapshots) {
    }

    public StateRoutes(Supplier<EventStore> store, DetectorSettings detector) {
        this.store = store;
        this.detector = detector;
    }

    public void addTo(Routes routes) {
        routes.get("/api/state", request -> ApiResponse.json(at(asOf(request))));
    }

    private static Instant asOf(ApiRequest request) {
        String text = request.query("asOf").orElseThrow(() -> ApiException.badRequest("asOf is missing",
                "give ?asOf= an instant such as 2026-11-30T03:12:00Z"));
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("asOf must be an instant such as 2026-11-30T03:12:00Z, not \"" + text + "\"",
                    "UTC, with the Z");
        }
    }

    /** Replays every stored event up to {@code asOf} (in the store's order) into fresh views. */
    State at(Instant asOf) {
        Clock stopped = Clock.fixed(asOf, ZoneOffset.UTC);
        FleetView fleet = new FleetView(stopped, new FailureDetector(detector));
        SnapshotInventoryView inventory = new SnapshotInventoryView();
        ReplicationLinkView links = new ReplicationLinkView(stopped, inventory);
        ServicesView services = new ServicesView();
        List<AnnotationEventHandlerAdapter> views = List.of(new AnnotationEventHandlerAdapter(inventory),
                new AnnotationEventHandlerAdapter(fleet), new AnnotationEventHandlerAdapter(links),
                new AnnotationEventHandlerAdapter(services));
        long applied = 0;
        try (BlockingStream<TrackedEventMessage<?>> stream = store.get().openStream(null)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                if (event.getTimestamp().isAfter(asOf)) {
                    continue; // stored in commit order: a later one may still come before an earlier one's neighbour
                }
                for (AnnotationEventHandlerAdapter view : views) {
                    if (view.canHandle(event)) {
                        view.handle(event);
                    }
                }
                applied++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the event store", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the event store up to " + asOf + ": " + e.getMessage(), e);
        }
        List<DatasetSummary> datasets = inventory.datasets();
        return new State(asOf, applied, fleet.servers(), services.services(), links.links(), datasets.size(),
                datasets.stream().mapToLong(DatasetSummary::snapshotCount).sum());
    }
}
