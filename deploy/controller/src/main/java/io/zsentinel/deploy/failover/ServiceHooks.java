package io.zsentinel.deploy.failover;

import io.zsentinel.core.hooks.HookRunner;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Hook;
import io.zsentinel.failover.api.DatasetPromotion;
import io.zsentinel.failover.api.FailoverStarted;
import io.zsentinel.failover.api.SwitchoverStarted;
import io.zsentinel.failover.api.HookKind;
import io.zsentinel.failover.api.HookRequested;
import io.zsentinel.failover.api.RecordHookOutcome;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Runs a service's hooks when its aggregate asks ({@link HookRequested}) and answers with how they ran
 * ({@link RecordHookOutcome}): fence on the failed primary, promote on the new one, demote on a former one. A kind
 * of hook the service has not configured answers "not configured" at once (a missing fence hook is a failure: the
 * failover then waits for the failed primary's lease to lapse).
 * <p>
 * On a processor of its own, one hook at a time, its token in the store and starting at the store's head: a hook
 * runs once per request, again only when the controller stopped while it ran (hooks must be safe to repeat: power
 * off a server that is off, move a VIP where it is), and never for the history of a new controller. A request older
 * than {@link #STALE_AFTER} is answered without running: the failover it belonged to is over (its window is
 * five minutes), and a promote hook run that late could move a service its aggregate has given up.
 * <p>
 * Hooks get what happens and to what as {@code ZSENTINEL_*} environment variables: {@code SERVICE}, {@code HOOK},
 * {@code SERVER} (the server the hook is about), {@code GENERATION}, {@code FAILOVER}, {@code OLD_PRIMARY},
 * {@code NEW_PRIMARY}, {@code DATASETS} (the new primary's copies, space-separated) and {@code REASON}. A promote
 * hook outside a failover resumes a primary that stood down on its lease ({@code REASON=resume}, {@code NEW_PRIMARY}
 * the server, no {@code FAILOVER}).
 */
@DisallowReplay
public final class ServiceHooks {
    public static final String PROCESSOR = "service-hooks";
    /** A request this old is not run any more: beyond the failover window (5 min) and a margin. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(6);
    private static final Logger log = LoggerFactory.getLogger(ServiceHooks.class);
    /** Failovers remembered for their hooks' environment; older ones are read from the store again. */
    private static final int REMEMBERED = 256;

    private final ServiceCatalogue services;
    private final HookRunner runner;
    private final Consumer<RecordHookOutcome> outcomes;
    private final Function<HookRequested, Optional<FailoverStarted>> storedStart;
    private final Clock clock;
    private final java.util.Set<String> switchovers = java.util.Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });
    private final Map<String, FailoverStarted> started = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FailoverStarted> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * {@code outcomes}: sends the answer to the service aggregate (and waits for it). {@code storedStart}: the
     * {@link FailoverStarted} of a request's failover, read from the store, for a request whose start this
     * processor did not see (it started after it).
     */
    private volatile LongSupplier lease = () -> 0;

    public ServiceHooks(ServiceCatalogue services, HookRunner runner, Consumer<RecordHookOutcome> outcomes,
                        Function<HookRequested, Optional<FailoverStarted>> storedStart, Clock clock) {
        this.services = services;
        this.runner = runner;
        this.outcomes = outcomes;
        this.storedStart = storedStart;
        this.clock = clock;
    }

    @EventHandler
    public void on(FailoverStarted e) {
        synchronized (started) {
            started.put(e.failover().toString(), e);
        }
    }

    /**
     * A switchover's hooks get the same environment as a failover's ({@code ZSENTINEL_REASON}: {@code switchover by
     * OPERATOR: REASON}); kept as the start of a failover forced by the operator, under the switchover's id. Only
     * switchovers this processor saw: one started before the controller's start has no OLD/NEW_PRIMARY.
     */
    @EventHandler
    public void on(SwitchoverStarted e) {
        synchronized (started) {
            started.put(e.failover().toString(), new FailoverStarted(e.service(), e.failover(), e.from(), e.to(),
                    e.generation(), e.datasets(), e.deadline(), e.deadline(), e.by(), e.at()));
            switchovers.add(e.failover().toString());
        }
    }

    /**
     * Runs hooks only while {@code lease} answers (it throws while this controller does not hold the controller lease):
     * a request met without it is retried, its token kept, so the next holder runs it and a deposed controller never.
     */
    public ServiceHooks onlyWhile(LongSupplier lease) {
        this.lease = lease;
        return this;
    }

    @EventHandler
    public void on(HookRequested request) {
        lease.getAsLong();
        outcomes.accept(run(request));
    }

    /** Runs the hook {@code request} asks for and says how it went (never throws for a hook that failed). */
    RecordHookOutcome run(HookRequested request) {
        Optional<ServiceDefinition> service = services.named(request.service());
        String kind = request.kind().text();
        if (service.isEmpty()) {
            return answer(request, false, "service " + request.service() + " is no longer configured in controller.yaml;"
                    + " its " + kind + " hook did not run");
        }
        Hook hook = hookOf(service.get(), request.kind());
        if (hook == null) {
            // no demote hook: nothing serves that must be stopped (a switchover goes on); no fence hook: not fenced
            return answer(request, request.kind() == HookKind.DEMOTE, "no " + kind + " hook configured for service "
                    + request.service());
        }
        Duration age = Duration.between(request.at(), clock.instant());
        if (age.compareTo(STALE_AFTER) > 0) {
            log.warn("did not run the {} hook of service {} about {}: requested {} s ago, past its failover's window",
                    kind, request.service(), request.server(), age.toSeconds());
            return answer(request, false, "not run: requested " + age.toSeconds() + " s earlier, past the failover's"
                    + " window (the controller was stopped or behind)");
        }
        HookRunner.Result result = runner.run(kind + " " + request.service(), hook, environment(request));
        return answer(request, result.succeeded(), result.describe());
    }

    private Map<String, String> environment(HookRequested request) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ZSENTINEL_SERVICE", request.service().value());
        env.put("ZSENTINEL_HOOK", request.kind().text());
        env.put("ZSENTINEL_SERVER", request.server().value());
        env.put("ZSENTINEL_GENERATION", Long.toString(request.generation()));
        if (request.failover() != null) {
            env.put("ZSENTINEL_FAILOVER", request.failover().toString());
            startOf(request).ifPresent(start -> {
                env.put("ZSENTINEL_OLD_PRIMARY", start.failedPrimary().value());
                env.put("ZSENTINEL_NEW_PRIMARY", start.to().value());
                env.put("ZSENTINEL_DATASETS", start.datasets().stream().map(DatasetPromotion::dataset)
                        .map(DatasetName::value).collect(Collectors.joining(" ")));
                boolean planned;
                synchronized (started) {
                    planned = switchovers.contains(start.failover().toString());
                }
                env.put("ZSENTINEL_REASON", planned ? "switchover by " + start.forced().operator() + ": "
                        + start.forced().reason() : start.forced() == null ? "failover: " + start.failedPrimary() + " failed"
                        : "failover forced by " + start.forced().operator() + ": " + start.forced().reason());
            });
        } else if (request.kind() == HookKind.PROMOTE) {
            // outside a failover a promotion is a resume: the primary stood down on its lease and serves again
            env.put("ZSENTINEL_NEW_PRIMARY", request.server().value());
            env.put("ZSENTINEL_REASON", "resume");
        } else {
            env.put("ZSENTINEL_REASON", request.kind().text());
        }
        return env;
    }

    private Optional<FailoverStarted> startOf(HookRequested request) {
        FailoverStarted known;
        synchronized (started) {
            known = started.get(request.failover().toString());
        }
        return known != null ? Optional.of(known) : storedStart.apply(request);
    }

    private static Hook hookOf(ServiceDefinition service, HookKind kind) {
        return switch (kind) {
            case FENCE -> service.fence();
            case PROMOTE -> service.promote();
            case DEMOTE -> service.demote();
        };
    }

    private RecordHookOutcome answer(HookRequested request, boolean succeeded, String detail) {
        return new RecordHookOutcome(request.service(), request.failover(), request.kind(), request.server(), succeeded,
                detail, clock.instant());
    }
}
