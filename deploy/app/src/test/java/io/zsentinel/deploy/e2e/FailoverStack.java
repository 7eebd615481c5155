package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.deploy.agent.PeerAddress;
import io.zsentinel.deploy.controller.ControllerApp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** What the failover and rejoin end-to-end tests share: their agents, the controller's answers, the clean-up. */
final class FailoverStack {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FailoverStack() {
    }

    /** A server named like its pool, heartbeating every second, lease 6 s (the tests' failover.leaseSeconds). */
    static Agent agent(ZfsTestPools pools, KafkaConfig kafka, Deque<AutoCloseable> open, PoolName pool,
                       Integer probePort, Map<String, PeerAddress> peers) {
        MessagePublisher publisher = MessagePublisher.create(KafkaTestBroker.bootstrapServers());
        open.push(publisher);
        Agent agent = new Agent(new AgentConfig(new ServerId(pool.value()), kafka, List.of(pool), 1, 1, null, null, null,
                null, null, 6, null, probePort, peers), ZfsDriver.detect(pools.runner(), pool), publisher,
                Clock.systemUTC()).start();
        open.push(agent);
        return agent;
    }

    /** Closes what the test opened, imports {@code crashed} again if it is still exported, destroys the pools. */
    static void stop(Deque<AutoCloseable> open, ZfsTestPools pools, Path poolsDir, PoolName crashed) {
        Stack.closeAndDestroy(List.copyOf(open), pools, poolsDir.getParent(), crashed);
    }

    static String get(ControllerApp controller, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The server's health as {@code /api/servers} shows it; "unheard" before its first heartbeat. */
    static String health(ControllerApp controller, PoolName server) throws Exception {
        for (JsonNode row : JSON.readTree(get(controller, "/api/servers"))) {
            if (row.path("server").asText().equals(server.value())) {
                return row.path("health").asText();
            }
        }
        return "unheard";
    }
}
