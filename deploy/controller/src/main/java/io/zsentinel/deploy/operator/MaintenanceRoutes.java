package io.zsentinel.deploy.operator;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ChangeMaintenanceMode;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.projections.web.ApiException;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.projections.web.ApiResponse;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.replication.api.DatasetId;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Clock;
import java.util.List;

/**
 * {@code POST /api/servers/{server}/maintenance} ({@code zsentinel maintenance on|off <server> --reason …}): while a
 * server is in maintenance, no service fails over away from it automatically and it is never declared failed.
 * Turning it on first orders a checkpoint of every dataset of the server (as {@code zsentinel checkpoint <server>}
 * does), as the provider does before its own maintenance; a refused checkpoint is reported and does not keep the
 * server out of maintenance. The StorageServer records the change with who and why (audited), once per change.
 */
public final class MaintenanceRoutes {
    private static final String SERVERS_HINT = "GET /api/servers lists the servers the controller has heard";

    private final CommandGateway commands;
    private final Clock clock;
    private final OperatorRoutes checkpoints;

    public MaintenanceRoutes(CommandGateway commands, Clock clock, OperatorRoutes checkpoints) {
        this.commands = commands;
        this.clock = clock;
        this.checkpoints = checkpoints;
    }

    public Routes addTo(Routes routes) {
        return routes.post("/api/servers/{server}/maintenance", this::maintenance);
    }

    /** What the request did: the mode now, and the checkpoints ordered first (null when turned off). */
    public record Answer(String server, boolean maintenance, OperatorRoutes.ServerCheckpoint checkpoints) {
    }

    private ApiResponse maintenance(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, "on");
        ServerId server = DatasetLocator.serverId(request.pathParam("server"));
        boolean on = body.requiredFlag("on", "send \"on\": true to put the server in maintenance, false to end it");
        OperatorOrder order = Refusals.build(() -> new OperatorOrder(body.operator(request).name(), body.reason()));
        OperatorRoutes.ServerCheckpoint taken = null;
        if (on) {
            List<DatasetId> datasets = checkpoints.datasetsOf(server);
            taken = checkpoints.checkpointAll(datasets, body, request);
        }
        try {
            commands.sendAndWait(new ChangeMaintenanceMode(server, on, order, clock.instant()));
        } catch (RuntimeException e) {
            throw Refusals.toApi(e, SERVERS_HINT, () -> ApiException.notFound("the controller has never heard of server \""
                    + server + "\"", "check the name; " + SERVERS_HINT));
        }
        return ApiResponse.json(200, new Answer(server.value(), on, taken));
    }
}
