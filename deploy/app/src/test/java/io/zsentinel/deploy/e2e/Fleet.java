package io.zsentinel.deploy.e2e;

import io.zsentinel.core.kafka.KafkaTestBroker;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.core.zfs.ZfsTestPools;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.core.config.KafkaConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Several storage servers on real parts, for end-to-end tests of links between them: a zfs-fuse pool per
 * server (the server is named like its pool; the first pool has a dataset {@code vm1}), one agent each, the
 * shared in-process Kafka broker (topics of a cell of their own), an embedded PostgreSQL and the controller
 * with the retention and replication of a controller.yaml, its HTTP API on a free port.
 */
final class Fleet implements AutoCloseable {
    final ZfsTestPools pools;
    final List<PoolName> servers = new ArrayList<>();
    final DatasetName vm1;
    final KafkaConfig kafka;
    final EmbeddedPostgresStore postgres;
    final MessagePublisher publisher;
    final List<Agent> agents = new ArrayList<>();
    ControllerApp controller;

    /** {@code controllerYaml}: its {@code retention:} and {@code replication:}, written with the pools' names. */
    @FunctionalInterface
    interface ControllerYaml {
        String of(List<PoolName> pools);
    }

    private Fleet(Path dir, String family, long poolBytes, List<String> poolSuffixes, ControllerYaml yaml) {
        pools = ZfsTestPools.open(dir.resolve("pools"), family);
        poolSuffixes.forEach(suffix -> servers.add(pools.createPool(suffix, poolBytes)));
        vm1 = new DatasetName(servers.get(0) + "/vm1");
        ZfsDriver.detect(pools.runner(), servers.get(0)).createDataset(vm1);
        Topics topics = KafkaTestBroker.freshTopics(family, 1);
        kafka = new KafkaConfig(KafkaTestBroker.bootstrapServers(), topics.prefix().substring(0, topics.prefix().length() - 1));
        postgres = EmbeddedPostgresStore.start(dir.resolve("postgres"));
        startController(yaml);
        publisher = MessagePublisher.create(KafkaTestBroker.bootstrapServers());
        agents.addAll(Stack.agentsFor(servers, kafka, pools, publisher));
    }

    static Fleet start(Path dir, String family, long poolBytes, List<String> poolSuffixes, ControllerYaml yaml) {
        return new Fleet(dir, family, poolBytes, poolSuffixes, yaml);
    }

    PoolName server(int index) {
        return servers.get(index);
    }

    /** Stops the controller (if running) and starts it again on the same store and topics with {@code yaml}. */
    void restartController(ControllerYaml yaml) {
        if (controller != null) {
            controller.close();
        }
        startController(yaml);
    }

    private void startController(ControllerYaml yaml) {
        ControllerConfig config = ConfigFiles.parse("kafka: { bootstrap: \"unused:9092\" }\n" + yaml.of(servers),
                "controller.yaml", ControllerConfig.class);
        controller = ControllerApp.start(new ControllerConfig(kafka, null, new ControllerConfig.HttpConfig("127.0.0.1", 0),
                null, config.retention(), config.replication()), postgres.dataSource(), Clock.systemUTC());
    }

    String url(String path) {
        return "http://127.0.0.1:" + controller.httpPort() + path;
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(agents);
        all.addAll(List.of(publisher, controller, postgres, pools));
        Stack.closeAll(all);
    }

    /** Short names, oldest first; none while the dataset does not exist. */
    static List<String> snapshots(String dataset) throws Exception {
        Process p = new ProcessBuilder("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-s", "createtxg", "-r",
                dataset).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            return List.of();
        }
        return Arrays.stream(out.split("\n")).filter(l -> l.startsWith(dataset + "@"))
                .map(l -> l.substring(dataset.length() + 1)).toList();
    }
}
