package io.zsentinel.deploy.operator;

import io.zsentinel.projections.web.ApiException;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.projections.web.ApiResponse;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.projections.web.ZsentinelApi;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.LinkOperatorCommand;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.api.link.ResolveDivergence;
import io.zsentinel.replication.api.link.ResumeLink;
import io.zsentinel.replication.api.link.SyncNow;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/**
 * The operator's commands on a replication link: pause, resume, sync-now, resolve. Each is one
 * ReplicationLink command, sent and awaited: the link decides (and records who and why) or refuses.
 * Repeating a pause or a resume changes nothing and is answered like the first. The answer is 200:
 * unlike a dataset operation, nothing waits for an agent here; the link view shows the effect.
 */
public final class LinkRoutes {
    static final String ROLLBACK_FIELD = "rollbackTarget";
    private static final String SHOWS_LINK = "GET /api/replication/links/{id} shows the link's state";
    static final String RESOLVE_CONSENT = "resolving a divergence discards the target's own snapshots and every write"
            + " made on the target since the common base (rollback, or a full receive -F without one); it is never"
            + " done unless asked for";

    private final CommandGateway commands;
    private final Clock clock;

    public LinkRoutes(CommandGateway commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    public Routes addTo(Routes routes) {
        return routes
                .post("/api/replication/links/{id}/pause", order("pause", PauseLink::new, SHOWS_LINK))
                .post("/api/replication/links/{id}/resume", order("resume", ResumeLink::new, SHOWS_LINK))
                .post("/api/replication/links/{id}/sync-now", order("sync-now", SyncNow::new,
                        "GET /api/replication/links/{id} shows why the link is stopped"))
                .post("/api/replication/links/{id}/resolve", this::resolve);
    }

    /** What was accepted; {@code view} is where the link's state shows. */
    public record Accepted(String link, String action, String status, String operator, String reason, String view) {
    }

    /** The shape of pause, resume and sync-now: a link, who, why, when. */
    @FunctionalInterface
    private interface LinkOrder {
        LinkOperatorCommand of(LinkId link, io.zsentinel.replication.api.Operator operator, String reason, Instant at);
    }

    private io.zsentinel.projections.web.ApiHandler order(String action, LinkOrder order, String hint) {
        return request -> {
            OperatorBody body = OperatorBody.parse(request);
            LinkId id = ZsentinelApi.linkId(request.pathParam("id"));
            Instant at = clock.instant();
            return send(Refusals.build(() -> order.of(id, body.operator(request), body.reason(), at)), action, hint);
        };
    }

    private ApiResponse resolve(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, ROLLBACK_FIELD);
        LinkId id = ZsentinelApi.linkId(request.pathParam("id"));
        if (!body.flag(ROLLBACK_FIELD)) {
            throw ApiException.badRequest(RESOLVE_CONSENT + "; nothing was ordered",
                    "to discard the target's divergent data, send \"" + ROLLBACK_FIELD
                            + "\": true (CLI: zsentinel replication resolve <link> --rollback-target --reason R)");
        }
        Instant at = clock.instant();
        return send(Refusals.build(() -> new ResolveDivergence(id, true, body.operator(request), body.reason(), at)), "resolve",
                SHOWS_LINK);
    }


    private ApiResponse send(LinkOperatorCommand command, String action, String hint) {
        LinkId id = command.linkId();
        try {
            commands.sendAndWait(command);
        } catch (RuntimeException e) {
            throw Refusals.toApi(e, hint, () -> ApiException.notFound("no replication link " + id + " is known",
                    "GET /api/replication/links lists the links; an id is <server>:<dataset>-><server>:<dataset>"));
        }
        return ApiResponse.json(new Accepted(id.toString(), action, "accepted", command.operator().name(),
                command.reason(), "/api/replication/links/" + URLEncoder.encode(id.toString(), StandardCharsets.UTF_8)));
    }
}
