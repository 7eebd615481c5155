package io.zsentinel.deploy.e2e;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.Guid;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.deploy.config.ServiceConfig;
import io.zsentinel.deploy.controller.Controller;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import io.zsentinel.failover.api.BeginFailover;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.api.FailoverStep;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.choose.Candidate;
import io.zsentinel.failover.choose.FailoverSituation;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.projections.service.FailoverSummary;
import io.zsentinel.projections.service.ServiceRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Service aggregates' clock on real parts (the in-process broker, an embedded PostgreSQL): the controller
 * registers each configured service at its start, and a failover's deadline, stored in its FailoverStarted, fires
 * on the next controller after a restart (its ticker tells the running failover the time).
 */
class ServiceClockEndToEndIT {
    private static final ServiceName VM = ServiceName.of("vm-storage");
    private static final ServerId PRIMARY = ServerId.of("primary");
    private static final ServerId STANDBY = ServerId.of("standby");
    private static final DatasetName VM1 = DatasetName.of("tank/vm1");

    @TempDir
    Path dir;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    @AfterEach
    void closeAll() {
        Stack.closeAll(List.copyOf(open));
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.push(closeable);
        return closeable;
    }

    @Test
    void aServiceIsRegisteredAtTheStartAndItsFailoverIsAbortedAtTheDeadlineByTheNextController(TestInfo info) {
        Topics topics = KafkaTestBroker.freshTopics(info.getTestMethod().orElseThrow().getName(), 1);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1));
        ControllerConfig config = new ControllerConfig(kafka, null, new ControllerConfig.HttpConfig("127.0.0.1", 0), null,
                null, new ReplicationConfig(null, List.of(new LinkRule("tank/vm*", "primary", "standby", "standby", "1m",
                null))), List.of(new ServiceConfig(VM.value(), "tank/vm*", PRIMARY.value(), List.of(STANDBY.value()),
                "15m", null, null, null)));
        EmbeddedPostgresStore postgres = opened(EmbeddedPostgresStore.start(dir.resolve("postgres")));
        Controller first = opened(Controller.start(config, postgres.dataSource(), Clock.systemUTC(), new SimpleMeterRegistry()));
        await().atMost(Duration.ofSeconds(30)).until(() -> first.services().find(VM)
                .filter(s -> s.primary().equals(PRIMARY) && s.generation() == 1).isPresent());

        Instant now = Instant.now();
        FailoverSituation situation = new FailoverSituation(config.serviceCatalogue().named(VM).orElseThrow(), PRIMARY,
                Health.FAILED, false, Set.of(VM1), Map.of(STANDBY, new Candidate(STANDBY, Health.HEALTHY, false, Map.of(VM1,
                new CommonSnapshot(VM1, VM1.snapshot("auto-1"), new Guid(17), now.minusSeconds(60))))), null, now);
        // no fence hook answers and the lease lapses only in an hour: the failover can only wait for its deadline
        first.commandGateway().sendAndWait(new BeginFailover(VM, situation, null, now.plus(Duration.ofHours(1)),
                Duration.ofSeconds(3)));
        await().atMost(Duration.ofSeconds(30)).until(() -> first.services().find(VM)
                .filter(s -> s.step() == FailoverStep.FENCING).isPresent());
        first.close();
        open.remove(first);

        Controller second = opened(Controller.start(config, postgres.dataSource(), Clock.systemUTC(), new SimpleMeterRegistry()));
        await().atMost(Duration.ofSeconds(60)).until(() -> second.services().find(VM)
                .filter(s -> ServiceRow.BLOCKED.equals(s.state())).isPresent());
        ServiceRow row = second.services().find(VM).orElseThrow();
        assertEquals(PRIMARY, row.primary(), "an aborted failover leaves the service where it was");
        assertEquals(1, row.generation());
        FailoverSummary last = row.lastFailover();
        assertEquals(FailoverSummary.ABORTED, last.outcome());
        Optional<FailoverSummary.Step> aborted = last.steps().stream().filter(s -> s.event().equals("FailoverAborted")).findFirst();
        assertTrue(aborted.isPresent() && aborted.get().text().startsWith("at step fencing"), last.steps().toString());
        assertTrue(!aborted.get().at().isBefore(now.plusSeconds(3)), "aborted at " + aborted.get().at() + ", not before the deadline");
    }
}
