package io.zsentinel.deploy.operator;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.failover.FailoverReactor;
import io.zsentinel.failover.api.AcknowledgeFailover;
import io.zsentinel.failover.api.BeginFailover;
import io.zsentinel.failover.api.BeginSwitchover;
import io.zsentinel.failover.api.ForceFailover;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.projections.service.ServicesView;
import io.zsentinel.projections.web.ApiException;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.projections.web.ApiResponse;
import io.zsentinel.projections.web.Routes;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Clock;

/**
 * An operator's failover orders: {@code POST /api/services/{name}/ack} ({@code zsentinel failover ack}: the last
 * failover has been looked at, automatic failover is armed again) and {@code POST /api/services/{name}/force}
 * ({@code zsentinel failover force --to SERVER}: fail the service over now, accepting the data loss; body {@code to},
 * {@code operator}, {@code reason}) and {@code POST /api/services/{name}/switchover} ({@code zsentinel switchover}: a
 * planned switchover, no data lost). All audited (the events name the operator and the reason). The service's rules
 * refuse an order that does not fit its state (a failover running, nothing blocked): a 409 saying why.
 */
public final class FailoverRoutes {
    static final String HINT = "GET /api/services/{name} shows the service, what blocks it and its failovers";

    /** What an order answers: the service, where it is served and what happens now. */
    public record Ordered(String service, String status, String from, String to, String follow) {
    }

    private final CommandGateway commands;
    private final ServicesView services;
    private final FailoverReactor reactor;
    private final Clock clock;

    public FailoverRoutes(CommandGateway commands, ServicesView services, FailoverReactor reactor, Clock clock) {
        this.commands = commands;
        this.services = services;
        this.reactor = reactor;
        this.clock = clock;
    }

    public Routes addTo(Routes routes) {
        return routes
                .post("/api/services/{name}/ack", this::acknowledge)
                .post("/api/services/{name}/force", this::force)
                .post("/api/services/{name}/switchover", this::switchover);
    }

    private ApiResponse acknowledge(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request);
        ServiceRow row = service(request);
        OperatorOrder by = order(body, request, "acknowledged the last failover");
        send(new AcknowledgeFailover(row.service(), by, clock.instant()));
        return ApiResponse.json(200, new Ordered(row.service().value(), "acknowledged", null, row.primary().value(),
                "/api/services/" + row.service()));
    }

    private ApiResponse force(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, "to");
        ServiceRow row = service(request);
        String to = body.required("to", "name the standby to fail over to: \"to\": \"standby-01\"");
        ServerId target = target(to);
        if (body.reason() == null) {
            throw ApiException.badRequest("a forced failover needs a reason: it may lose data, and it goes to the audit"
                    + " log", "send \"reason\": \"...\" (CLI: --reason)");
        }
        ForceFailover order = Refusals.build(() -> new ForceFailover(row.service(), target,
                order(body, request, body.reason())));
        BeginFailover begin = Refusals.build(() -> reactor.forced(order, row.primary()));
        send(begin);
        return ApiResponse.json(202, new Ordered(row.service().value(), "ordered", row.primary().value(), target.value(),
                "/api/services/" + row.service()));
    }

    /**
     * {@code zsentinel switchover <service> --to <standby> --reason …}: a planned switchover, no data lost (body
     * {@code to}, {@code operator}, {@code reason}); refused with a 409 saying why (a failover or switchover running, the
     * standby unhealthy, in maintenance or lagging).
     */
    private ApiResponse switchover(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, "to");
        ServiceRow row = service(request);
        ServerId target = target(body.required("to", "name the standby to switch over to: \"to\": \"standby-01\""));
        if (body.reason() == null) {
            throw ApiException.badRequest("a switchover needs a reason: it goes to the audit log",
                    "send \"reason\": \"...\" (CLI: --reason)");
        }
        OperatorOrder by = order(body, request, body.reason());
        BeginSwitchover begin = Refusals.build(() -> reactor.switchover(row.service(), row.primary(), target, by));
        send(begin);
        return ApiResponse.json(202, new Ordered(row.service().value(), "switching over", row.primary().value(),
                target.value(), "/api/services/" + row.service()));
    }

    private static ServerId target(String to) {
        try {
            return ServerId.of(to);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), "nothing was ordered; " + HINT);
        }
    }

    private ServiceRow service(ApiRequest request) {
        ServiceName name;
        try {
            name = ServiceName.of(request.pathParam("name"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), HINT);
        }
        return services.find(name).orElseThrow(() -> ApiException.notFound("no service " + name + " is known",
                "GET /api/services lists the services configured under services: in controller.yaml"));
    }

    private static OperatorOrder order(OperatorBody body, ApiRequest request, String reason) {
        String operator = body.operator(request).name();
        return Refusals.build(() -> new OperatorOrder(operator, body.reason() == null ? reason : body.reason()));
    }

    /** The service's rules refuse with an IllegalStateException that says why: the order does not fit its state. */
    private void send(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof IllegalStateException) {
                    throw new ApiException(409, t.getMessage(), "nothing was ordered; " + HINT);
                }
            }
            throw Refusals.toApi(e, HINT);
        }
    }
}
