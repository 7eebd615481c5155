package io.zsentinel.deploy.operator;

import io.zsentinel.core.messages.facts.SnapshotInfo;
import io.zsentinel.core.values.RescueNames;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.failover.Rejoins;
import io.zsentinel.failover.api.BeginRejoin;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.RejoinEvent;
import io.zsentinel.failover.api.RejoinPlan;
import io.zsentinel.failover.api.ReleaseRescueOrder;
import io.zsentinel.failover.rejoin.RejoinDecider;
import io.zsentinel.failover.rejoin.RejoinRefused;
import io.zsentinel.failover.rejoin.RejoinState;
import io.zsentinel.projections.service.RescuesView;
import io.zsentinel.projections.web.ApiException;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.projections.web.ApiResponse;
import io.zsentinel.projections.web.Routes;
import io.zsentinel.replication.api.DatasetId;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A former primary's rejoin and the divergent state it keeps:
 * <ul>
 *   <li>{@code POST /api/servers/{server}/rejoin} ({@code zsentinel rejoin <server> [--dry-run]}; body {@code dryRun},
 *   {@code operator}, optional {@code reason}): per service the server was primary of, per dataset the newest common
 *   snapshot with the new primary and what lies after it; without {@code dryRun} the rejoin is ordered (audited), or
 *   refused with every reason (409 when every service's is).</li>
 *   <li>{@code GET /api/rescues} ({@code zsentinel rescue list}): what rejoins kept and no operator released.</li>
 *   <li>{@code POST /api/rescues/release} ({@code zsentinel rescue release <server:dataset> --reason …}; body
 *   {@code name}, {@code operator}, {@code reason}): destroys one, audited. Nothing else ever does.</li>
 * </ul>
 */
public final class RejoinRoutes {
    static final String HINT = "GET /api/services shows who serves what; GET /api/rescues what rejoins kept";

    /** One dataset of a rejoin: what it shares with the new primary, what lies after, where that is kept. */
    public record DatasetAnswer(String dataset, String copy, String common, String commonGuid, Instant commonCreated,
                                List<String> snapshotsAfter, Long bytesAfter, String bytesHow, String keptAs) {
    }

    /** One service's rejoin: {@code status} {@code dry-run}, {@code ordered}, {@code refused} or {@code rejoined}. */
    public record ServiceAnswer(String service, String newPrimary, long generation, String status,
                                List<String> refusals, List<DatasetAnswer> datasets) {
    }

    public record Answer(String server, boolean dryRun, List<ServiceAnswer> services) {
    }

    /** A kept rescue with its size from the inventory: its snapshots' used bytes (null while unreported). */
    public record RescueAnswer(String name, String server, String rescue, String dataset, String service,
                               Instant keptAt, String fromSnapshot, List<String> snapshotsAfter, Long bytesAfter,
                               Long snapshotsUsedBytes, String status, String lastRefusal) {
    }

    private final CommandGateway commands;
    private final Rejoins rejoins;
    private final RescuesView rescues;
    private final Function<DatasetId, List<SnapshotInfo>> snapshots;
    private final Clock clock;

    public RejoinRoutes(CommandGateway commands, Rejoins rejoins, RescuesView rescues,
                        Function<DatasetId, List<SnapshotInfo>> snapshots, Clock clock) {
        this.commands = commands;
        this.rejoins = rejoins;
        this.rescues = rescues;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    public Routes addTo(Routes routes) {
        return routes.post("/api/servers/{server}/rejoin", this::rejoin)
                .get("/api/rescues", this::list)
                .post("/api/rescues/release", this::release);
    }

    private ApiResponse rejoin(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, "dryRun");
        ServerId server = DatasetLocator.serverId(request.pathParam("server"));
        boolean dryRun = body.flag("dryRun");
        String reason = body.text("reason").orElse("rejoin of " + server + " after a failover");
        OperatorOrder by = Refusals.build(() -> new OperatorOrder(body.operator(request).name(), reason));
        List<Rejoins.Planned> planned = rejoins.of(server, by, clock.instant());
        if (planned.isEmpty()) {
            throw ApiException.notFound("no failover or switchover took a service away from " + server
                    + ": there is nothing to rejoin", HINT);
        }
        List<ServiceAnswer> answers = new ArrayList<>();
        boolean anyOrdered = false;
        for (Rejoins.Planned p : planned) {
            BeginRejoin begin = p.begin();
            List<String> refusals = p.rejoinedAlready() ? List.of() : RejoinDecider.refusals(RejoinState.initial(), begin);
            String status;
            if (p.rejoinedAlready()) {
                status = "rejoined";
            } else if (!refusals.isEmpty()) {
                status = "refused";
            } else if (dryRun) {
                status = "dry-run";
            } else {
                try {
                    commands.sendAndWait(begin);
                    status = "ordered";
                    anyOrdered = true;
                } catch (RuntimeException e) {
                    status = "refused";
                    refusals = refusal(e).reasons();
                }
            }
            answers.add(new ServiceAnswer(begin.service().value(), begin.newPrimary().value(), begin.generation(),
                    status, refusals, begin.datasets().stream().map(d -> answer(d, begin.at())).toList()));
        }
        boolean allRefused = answers.stream().allMatch(a -> a.status().equals("refused"));
        int code = dryRun ? 200 : anyOrdered ? 202 : allRefused ? 409 : 200;
        return ApiResponse.json(code, new Answer(server.value(), dryRun, answers));
    }

    /** The rules' refusal {@code thrown} carries (the command bus may wrap it); anything else is rethrown. */
    private static RejoinRefused refusal(RuntimeException thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RejoinRefused r) {
                return r;
            }
        }
        throw thrown;
    }

    private static DatasetAnswer answer(RejoinPlan p, Instant at) {
        String kept = p.common() == null ? null : p.keepsDivergence()
                ? RescueNames.rescueOf(p.dataset(), at).value() : "nothing to keep";
        return new DatasetAnswer(p.dataset().value(), p.copy().value(),
                p.common() == null ? null : p.common().snapshot().shortName(),
                p.common() == null ? null : p.common().guid().toString(),
                p.common() == null ? null : p.common().created(), p.after(), p.bytesAfter(), p.bytesHow(), kept);
    }

    private ApiResponse list(ApiRequest request) {
        return ApiResponse.json(rescues.rescues().stream().map(r -> {
            List<SnapshotInfo> held = snapshots.apply(new DatasetId(r.server(), r.rescue()));
            Long used = held.isEmpty() ? null : held.stream().mapToLong(SnapshotInfo::usedBytes).sum();
            return new RescueAnswer(r.name(), r.server().value(), r.rescue().value(), r.dataset().value(),
                    r.service().value(), r.keptAt(), r.common().shortName(), r.after(), r.bytesAfter(), used,
                    r.status(), r.lastRefusal());
        }).toList());
    }

    private ApiResponse release(ApiRequest request) {
        OperatorBody body = OperatorBody.parse(request, "name");
        String name = body.required("name", "name the rescue as zsentinel rescue list shows it: server:dataset");
        if (body.reason() == null) {
            throw ApiException.badRequest("a release needs a reason: it destroys the only copy of a former primary's"
                    + " divergent writes, and it goes to the audit log", "send \"reason\": \"...\" (CLI: --reason)");
        }
        OperatorOrder by = Refusals.build(() -> new OperatorOrder(body.operator(request).name(), body.reason()));
        RescuesView.Rescue rescue = rescues.find(name).orElseThrow(() -> ApiException.notFound("no rescue \"" + name
                + "\" is kept", "GET /api/rescues (zsentinel rescue list) shows their names; " + HINT));
        if (!RescueNames.isRescue(rescue.rescue())) {
            throw ApiException.badRequest(name + " is no rescue", HINT);
        }
        try {
            commands.sendAndWait(new ReleaseRescueOrder(RejoinEvent.rejoinId(rescue.service(), rescue.server()),
                    rescue.rescue(), by, clock.instant()));
        } catch (RuntimeException e) {
            throw Refusals.classify(e, HINT, () -> new ApiException(409, "no rejoin of " + rescue.server()
                    + " to " + rescue.service() + " is recorded, so none kept " + rescue.rescue(), HINT))
                    .orElseGet(() -> new ApiException(409, refusal(e).getMessage(), HINT));
        }
        return ApiResponse.json(202, new RescueAnswer(name, rescue.server().value(), rescue.rescue().value(),
                rescue.dataset().value(), rescue.service().value(), rescue.keptAt(), rescue.common().shortName(),
                rescue.after(), rescue.bytesAfter(), null, "releasing", null));
    }
}
