package io.zsentinel.deploy.operator;

import io.zsentinel.core.values.InvalidNameException;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.projections.inventory.SnapshotInventoryView;
import io.zsentinel.projections.web.ApiException;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.projections.web.ApiResponse;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.OperatorCommand;
import io.zsentinel.replication.api.OrderRestore;
import io.zsentinel.replication.api.OrderRollback;
import io.zsentinel.replication.api.ReleaseCheckpoint;
import io.zsentinel.replication.api.TakeCheckpoint;
import io.zsentinel.replication.dataset.CommandIds;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The operator's REST commands: checkpoint (a dataset or a whole server), release, rollback, restore.
 * Each becomes one Dataset command, sent and awaited; the dataset decides (and audits) or refuses.
 * An accepted agent command answers 202 with its command id, which {@code GET /api/operations/{id}}
 * follows until the agent reports; a release orders nothing from an agent and answers 200.
 */
public final class OperatorRoutes {
    private static final String STATUS_ORDERED = "ordered";
    private static final String SNAPSHOTS_HINT = "GET /api/datasets/{name}/snapshots lists the snapshots";

    private final CommandGateway commands;
    private final Clock clock;
    private final DatasetLocator datasets;
    private final SnapshotInventoryView inventory;

    public OperatorRoutes(CommandGateway commands, Clock clock, SnapshotInventoryView inventory) {
        this.commands = commands;
        this.clock = clock;
        this.inventory = inventory;
        this.datasets = new DatasetLocator(inventory);
    }

    public Routes addTo(Routes routes) {
        return routes
                .post("/api/datasets/{name}/checkpoint", this::checkpoint)
                .post("/api/servers/{server}/checkpoint", this::checkpointServer)
                .post("/api/datasets/{name}/checkpoints/{snapshot}/release", this::release)
                .post("/api/datasets/{name}/rollback", this::rollback)
                .post("/api/datasets/{name}/restore", this::restore);
    }

    /** What a 202 says; {@code operation} is where to follow it. */
    public record Accepted(UUID commandId, String status, String kind, String server, String dataset,
                           String snapshot, String operation) {
    }

    /** A refused part of a server-wide checkpoint. */
    public record Refused(String dataset, String error, String hint) {
    }

    public record ServerCheckpoint(String server, List<Accepted> ordered, List<Refused> refused) {
    }

    private ApiResponse checkpoint(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, "server");
        DatasetId id = datasets.locate(request.pathParam("name"), body.text("server").or(() -> request.query("server")));
        Instant at = clock.instant();
        TakeCheckpoint command = Refusals.build(() -> new TakeCheckpoint(id, body.operator(request), body.reason(), at));
        return ApiResponse.json(202, send(command, "checkpoint", null, "retry later"));
    }

    /** One checkpoint per dataset of the server; a dataset that refuses does not stop the others. */
    private ApiResponse checkpointServer(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request);
        List<DatasetId> all = datasets.datasetsOf(request.pathParam("server"));
        ServerCheckpoint answer = checkpointAll(all, body, request);
        return ApiResponse.json(answer.ordered().isEmpty() ? 409 : 202, answer);
    }

    /** Every dataset of {@code server} the inventory knows; none when it knows none. */
    List<DatasetId> datasetsOf(io.zsentinel.core.values.ServerId server) {
        return inventory.datasets(Optional.of(server)).stream().map(d -> new DatasetId(d.server(), d.dataset())).toList();
    }

    /** A checkpoint of each of {@code all} (datasets of one server), for the operator and reason of {@code body}. */
    ServerCheckpoint checkpointAll(List<DatasetId> all, OperatorBody body, ApiRequest request) {
        Instant at = clock.instant();
        List<Accepted> ordered = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (DatasetId id : all) {
            TakeCheckpoint command = Refusals.build(() -> new TakeCheckpoint(id, body.operator(request), body.reason(), at));
            try {
                ordered.add(send(command, "checkpoint", null, "retry later"));
            } catch (ApiException e) {
                refused.add(new Refused(id.dataset().value(), e.getMessage(), e.hint()));
            }
        }
        return new ServerCheckpoint(all.isEmpty() ? null : all.get(0).server().value(), ordered, refused);
    }

    private ApiResponse release(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, "server");
        DatasetId id = datasets.locate(request.pathParam("name"), body.text("server").or(() -> request.query("server")));
        Instant at = clock.instant();
        ReleaseCheckpoint command = Refusals.build(() -> new ReleaseCheckpoint(id, snapshot(id, request.pathParam("snapshot")),
                body.operator(request), body.reason(), at));
        Accepted released = send(command, "release", command.snapshot(), SNAPSHOTS_HINT);
        return ApiResponse.json(200, new Accepted(released.commandId(), "succeeded", released.kind(), released.server(),
                released.dataset(), released.snapshot(), null));
    }

    private ApiResponse rollback(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, "server", "snapshot", "destroyNewer");
        DatasetId id = datasets.locate(request.pathParam("name"), body.text("server").or(() -> request.query("server")));
        String snapshot = body.required("snapshot", "name the snapshot to roll back to: \"snapshot\": \"daily-1\"");
        Instant at = clock.instant();
        OrderRollback command = Refusals.build(() -> new OrderRollback(id, snapshot(id, snapshot), body.flag("destroyNewer"),
                body.operator(request), body.reason(), at));
        return ApiResponse.json(202, send(command, "rollback", command.snapshot(),
                "to destroy the newer snapshots too, send \"destroyNewer\": true (CLI: --destroy-newer)"));
    }

    private ApiResponse restore(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, "server", "snapshot", "path", "to");
        DatasetId id = datasets.locate(request.pathParam("name"), body.text("server").or(() -> request.query("server")));
        String snapshot = body.required("snapshot", "name the snapshot to restore from: \"snapshot\": \"daily-1\"");
        String to = body.text("to").orElse("");
        if (!to.isEmpty() && !to.startsWith("/")) { // checked here too, so that the refusal names the field
            throw ApiException.badRequest("\"to\" must be an absolute directory on the storage server, not \"" + to + "\"",
                    "nothing was ordered; give a directory such as /var/restore, or leave \"to\" out for the agent's"
                            + " restore directory");
        }
        Instant at = clock.instant();
        OrderRestore command = Refusals.build(() -> new OrderRestore(id, snapshot(id, snapshot), body.text("path").orElse(null),
                to, body.operator(request), body.reason(), at));
        return ApiResponse.json(202, send(command, "restore", command.snapshot(), SNAPSHOTS_HINT));
    }

    /** {@code dataset@snap} or the short name {@code snap}. */
    private static SnapshotName snapshot(DatasetId id, String text) {
        try {
            return text.indexOf('@') >= 0 ? SnapshotName.parse(text) : id.dataset().snapshot(text);
        } catch (InvalidNameException e) {
            throw ApiException.badRequest(e.getMessage(), SNAPSHOTS_HINT);
        }
    }


    private Accepted send(OperatorCommand command, String kind, SnapshotName snapshot, String hint) {
        try {
            commands.sendAndWait(command);
        } catch (RuntimeException e) {
            throw Refusals.toApi(e, hint);
        }
        UUID commandId = commandId(command);
        return new Accepted(commandId, STATUS_ORDERED, kind, command.id().server().value(),
                command.id().dataset().value(), snapshot == null ? null : snapshot.full(),
                "/api/operations/" + commandId);
    }

    /** The id the Dataset rules gave this command (they derive it; see OperatorRules). */
    private static UUID commandId(OperatorCommand command) {
        return CommandIds.of(command.id(), command.getClass().getSimpleName(), command.at().toString());
    }
}
