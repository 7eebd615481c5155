package io.zsentinel.deploy.config;

import io.zsentinel.core.config.ConfigException;
import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.core.values.Hook;
import io.zsentinel.failover.service.ServiceDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code services:} in controller.yaml: the issue's example loads; every mistake names the file, line and why. */
class ServiceConfigTest {
    /** Line 1..9: kafka and the links; the services from line 10. */
    private static final String HEAD = """
            kafka: { bootstrap: "k:9092" }
            replication:
              links:
                - match: "tank/vm*"
                  targetServer: standby-01
                  targetRoot: standby
                - match: "tank/**"
                  targetServer: standby-02
                  targetRoot: standby
            """;

    private static ControllerConfig parse(String services) {
        return ConfigFiles.parse(HEAD + services, "controller.yaml", ControllerConfig.class);
    }

    private static ConfigException refused(String services) {
        return assertThrows(ConfigException.class, () -> parse(services));
    }

    @Test
    void theIssuesExampleLoads() {
        ControllerConfig c = parse("""
                services:
                  - name: vm-storage
                    datasets: "tank/vm*"          # served by the primary
                    primary: storage-01
                    standbys: [standby-01, standby-02]
                    maxDataLoss: 15m
                    fence:   { command: ["/etc/zsentinel/fence.sh", "--hard"], timeout: 20s }
                    promote: { command: ["/etc/zsentinel/serve.sh"] }
                    demote:  { command: ["/etc/zsentinel/unserve.sh"] }
                  - name: db
                    datasets: "tank/db"
                    primary: storage-01
                    standbys: [standby-02]
                """);
        ServiceDefinition vm = c.serviceCatalogue().named(ServiceName.of("vm-storage")).orElseThrow();
        assertEquals(new ServiceDefinition(ServiceName.of("vm-storage"), DatasetGlob.of("tank/vm*"), ServerId.of("storage-01"),
                List.of(ServerId.of("standby-01"), ServerId.of("standby-02")), Duration.ofMinutes(15),
                new Hook(List.of("/etc/zsentinel/fence.sh", "--hard"), Duration.ofSeconds(20)),
                new Hook(List.of("/etc/zsentinel/serve.sh"), Hook.DEFAULT_TIMEOUT),
                new Hook(List.of("/etc/zsentinel/unserve.sh"), Hook.DEFAULT_TIMEOUT)), vm);
        assertTrue(vm.serves(DatasetName.of("tank/vm1")));
        ServiceDefinition db = c.serviceCatalogue().named(ServiceName.of("db")).orElseThrow();
        assertEquals(ServiceDefinition.DEFAULT_MAX_DATA_LOSS, db.maxDataLoss());
        assertTrue(db.fenceHook().isEmpty(), "no fence hook: promotion waits for the lease");
        assertEquals(List.of(vm, db), c.serviceCatalogue().primaryOf(ServerId.of("storage-01")));
        assertEquals(List.of(), ConfigFiles.parse("kafka: { bootstrap: \"k:9092\" }", "controller.yaml",
                ControllerConfig.class).serviceCatalogue().services(), "no services: none");
    }

    /** Each bad setting: the yaml of a second service (lines 14..), the line reported and a word of the reason. */
    @Test
    void aBadServiceNamesFileLineAndWhy() {
        String good = """
                services:
                  - name: vm-storage
                    datasets: "tank/vm*"
                    primary: storage-01
                    standbys: [standby-01]
                """;
        String[][] cases = {
                // {second service's lines, expected line, words of the reason}
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [storage-01, standby-02]\n",
                        "18", "storage-01 is its primary and cannot also be its standby"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-02, standby-02]\n",
                        "18", "names a server twice"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: []\n", "18", "at least one server"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n", "15", "standbys is required"},
                {"  - name: db\n    primary: storage-01\n    standbys: [standby-02]\n", "15", "datasets is required"},
                {"  - name: db\n    datasets: \"tank/db\"\n    standbys: [standby-02]\n", "15", "primary is required"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: \"storage 01\"\n    standbys: [standby-02]\n", "17",
                        "invalid server id"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-02]\n"
                        + "    maxDataLoss: soon\n", "19", "maxDataLoss \"soon\" is not a duration"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-02]\n"
                        + "    maxDataLoss: 0m\n", "19", "maxDataLoss must be positive"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-02]\n"
                        + "    fence: { command: [] }\n", "19", "fence: a hook needs a command"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-02]\n"
                        + "    promote: { command: [\"/bin/serve\"], timeout: 10m }\n", "19", "at most 5 minutes"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-02]\n"
                        + "    demote: { command: [\"/bin/unserve\"], timeout: never }\n", "19", "demote.timeout \"never\""},
                {"  - name: \"db/1\"\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-02]\n", "1",
                        "invalid service name"},
                {"  - name: vm-storage\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-02]\n",
                        "11", "service vm-storage is defined twice"},
                {"  - name: vm-more\n    datasets: \"tank/vm1\"\n    primary: storage-01\n    standbys: [standby-02]\n",
                        "15", "both claim datasets of storage-01"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-01]\n",
                        "18", "standby standby-01 is not a replication target of tank/db on storage-01"},
                {"  - name: db\n    datasets: \"tank/db\"\n    primary: storage-01\n    standbys: [standby-02]\n"
                        + "    fence: { command: [\"/bin/fence\"], timeot: 5s }\n", "19", "unknown setting \"timeot\""},
        };
        for (String[] c : cases) {
            ConfigException e = refused(good + c[0]);
            assertTrue(e.getMessage().contains(c[2]), c[0] + " -> " + e.getMessage());
            if (!c[1].equals("1")) {
                assertTrue(e.getMessage().startsWith("controller.yaml:" + c[1] + ": "), c[0] + " -> " + e.getMessage());
            } else {
                assertTrue(e.getMessage().matches("controller\\.yaml:\\d+: .*"), e.getMessage());
            }
        }
    }
}
