package io.zsentinel.deploy.e2e;

import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.deploy.config.RetentionConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One storage server and the controller on real parts, for end-to-end tests: a zfs-fuse pool on a
 * file with a dataset {@code <pool>/vm1}, the shared in-process Kafka broker (topics of a cell of
 * their own), an embedded PostgreSQL, the controller with its HTTP API on a free port, one agent.
 */
final class Stack implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final ZfsTestPools pools;
    final PoolName pool;
    final DatasetName vm1;
    final ZfsDriver zfs;
    final Topics topics;
    final ServerId server;
    final EmbeddedPostgresStore postgres;
    final ControllerApp controller;
    final MessagePublisher publisher;
    final Agent agent;

    Stack(Path dir, String family, long poolBytes, RetentionConfig retention, AgentConfigurer agentConfig) {
        pools = ZfsTestPools.open(dir.resolve("pools"), family);
        pool = pools.createPool("p", poolBytes);
        zfs = ZfsDriver.detect(pools.runner(), pool);
        vm1 = new DatasetName(pool.value() + "/vm1");
        zfs.createDataset(vm1);
        topics = KafkaTestBroker.freshTopics(family, 1);
        KafkaConfig kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(),
                topics.prefix().substring(0, topics.prefix().length() - 1));
        postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        controller = ControllerApp.start(new ControllerConfig(kafka, null,
                new ControllerConfig.HttpConfig("127.0.0.1", 0), null, retention), postgres.dataSource(), Clock.systemUTC());
        server = new ServerId(family + "-" + pool.value());
        publisher = MessagePublisher.create(KafkaTestBroker.bootstrapServers());
        agent = new Agent(agentConfig.configure(new AgentConfig(server, kafka, List.of(pool), 1, 1, null, null)),
                zfs, publisher, Clock.systemUTC()).start();
    }

    /** Lets a test adjust the agent's configuration (e.g. its restore directory). */
    @FunctionalInterface
    interface AgentConfigurer {
        AgentConfig configure(AgentConfig defaults);
    }

    String url(String path) {
        return "http://127.0.0.1:" + controller.httpPort() + path;
    }

    static String encoded(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One agent per pool, each its own server named like the pool, scanning every second. */
    static List<Agent> agentsFor(List<PoolName> pools, KafkaConfig kafka, ZfsTestPools zfs, MessagePublisher publisher) {
        List<Agent> agents = new ArrayList<>();
        for (PoolName pool : pools) {
            agents.add(new Agent(new AgentConfig(new ServerId(pool.value()), kafka, List.of(pool), 1, 1, null, null),
                    ZfsDriver.detect(zfs.runner(), pool), publisher, Clock.systemUTC()).start());
        }
        return agents;
    }

    /** Closes each in order, going on past a failure (reported on stderr). */
    static void closeAll(List<? extends AutoCloseable> all) {
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    /**
     * Closes {@code open}, then imports {@code exported} again when a test left it exported (a crashed primary), so
     * that closing {@code pools} destroys it too.
     */
    static void closeAndDestroy(List<? extends AutoCloseable> open, ZfsTestPools pools, Path dir, PoolName exported) {
        closeAll(open);
        try {
            if (exported != null && !run("zpool", "list", "-H", "-o", "name").lines().toList().contains(exported.value())) {
                run("zpool", "import", "-d", dir.resolve("pools").resolve(exported.value()).toString(), exported.value());
            }
        } catch (Exception e) {
            System.err.println("cleanup: could not import " + exported + " again to destroy it: " + e);
        }
        if (pools != null) {
            pools.close();
        }
    }

    /** Runs a command (zfs, zpool…) as an operator would, asserting success; returns its output. */
    static String run(String... argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[]{agent, publisher, controller, postgres, pools}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }
}
