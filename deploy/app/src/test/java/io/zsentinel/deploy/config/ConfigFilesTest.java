package io.zsentinel.deploy.config;

import io.zsentinel.core.config.ConfigException;
import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFilesTest {

    @Test
    void aValidAgentConfigWithDefaults() {
        AgentConfig c = ConfigFiles.parse("""
                server: primary
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools: [ tank, backup ]
                """, "agent.yaml", AgentConfig.class);
        assertEquals(new ServerId("primary"), c.server());
        assertEquals(List.of(new PoolName("tank"), new PoolName("backup")), c.pools());
        assertEquals(3, c.heartbeatSeconds());
        assertEquals("", c.kafka().prefix());
    }

    @Test
    void theLeaseAndTheDemoteHookAreReadAndALeaseShorterThanTwoHeartbeatsIsRefused() {
        AgentConfig c = ConfigFiles.parse("""
                server: primary
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools: [ tank ]
                leaseSeconds: 12
                hooks: { demote: { command: ["/etc/zsentinel/unserve.sh", "--now"], timeoutSeconds: 5 } }
                """, "agent.yaml", AgentConfig.class);
        assertEquals(12, c.leaseSeconds());
        assertEquals(List.of("/etc/zsentinel/unserve.sh", "--now"), c.hooks().demote().command());
        assertEquals(java.time.Duration.ofSeconds(5), c.hooks().demote().timeout());
        assertEquals(10, ConfigFiles.parse("""
                server: primary
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools: [ tank ]
                """, "agent.yaml", AgentConfig.class).leaseSeconds());
        ConfigException shortLease = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                server: primary
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools: [ tank ]
                heartbeatSeconds: 5
                leaseSeconds: 8
                """, "agent.yaml", AgentConfig.class));
        assertTrue(shortLease.getMessage().contains("leaseSeconds (8) must be at least twice heartbeatSeconds (5)"),
                shortLease.getMessage());
        ConfigException emptyHook = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                server: primary
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools: [ tank ]
                hooks: { demote: { command: [] } }
                """, "agent.yaml", AgentConfig.class));
        assertTrue(emptyHook.getMessage().contains("agent.yaml:4") && emptyHook.getMessage().contains("a hook needs a command"),
                emptyHook.getMessage());
    }

    @Test
    void aHostilePoolNameIsRefusedWithFileLineAndReason() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                server: primary
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools:
                  - tank
                  - "tank;reboot"
                """, "agent.yaml", AgentConfig.class));
        assertTrue(e.getMessage().startsWith("agent.yaml:5"), e.getMessage());
        assertTrue(e.getMessage().contains("invalid pool name"), e.getMessage());
    }

    @Test
    void unknownSettingsAndBadValuesAreNamed() {
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                kafka: { bootstrap: "k:9092" }
                htttp: { port: 80 }
                """, "controller.yaml", ControllerConfig.class));
        assertTrue(unknown.getMessage().contains("controller.yaml:2") && unknown.getMessage().contains("htttp"),
                unknown.getMessage());
        ConfigException port = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                kafka: { bootstrap: "k:9092" }
                http: { port: 70000 }
                """, "controller.yaml", ControllerConfig.class));
        assertTrue(port.getMessage().contains("http.port must be 0..65535"), port.getMessage());
        ConfigException store = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                kafka: { bootstrap: "k:9092" }
                store: { url: "jdbc:mysql://x/y" }
                """, "controller.yaml", ControllerConfig.class));
        assertTrue(store.getMessage().contains("jdbc:postgresql:"), store.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigFiles.read(java.nio.file.Path.of("/nonexistent/agent.yaml"), AgentConfig.class));
        assertTrue(e.getMessage().contains("/nonexistent/agent.yaml"), e.getMessage());
    }

    @Test
    void aRetentionPolicyWithDefaultsAndPatterns() {
        ControllerConfig c = ConfigFiles.parse("""
                kafka: { bootstrap: "k:9092" }
                retention:
                  policies:
                    - match: "primary/vm*"
                      keep: { hourly: 24, daily: 7 }
                      zone: Europe/Berlin
                      weeklyOn: sunday
                    - match: "**"
                      maxHeldForReplicas: 20
                      maxHeldForReplicasDays: 14
                """, "controller.yaml", ControllerConfig.class);
        PolicyRule vm = c.retention().policies().get(0);
        assertTrue(vm.matches(new ServerId("a"), io.zsentinel.core.values.DatasetName.of("primary/vm1")));
        assertTrue(!vm.matches(new ServerId("a"), io.zsentinel.core.values.DatasetName.of("primary/vm1/disk")));
        assertEquals(24, vm.policy().keep(io.zsentinel.replication.retention.SnapshotClass.HOURLY));
        assertEquals(0, vm.policy().keep(io.zsentinel.replication.retention.SnapshotClass.MONTHLY));
        assertEquals(java.time.DayOfWeek.SUNDAY, vm.policy().weeklyOn());
        assertEquals(io.zsentinel.replication.retention.RetentionPolicy.DEFAULT_MAX_HELD_FOR_REPLICAS,
                vm.policy().maxHeldForReplicas());
        assertEquals(io.zsentinel.replication.retention.RetentionPolicy.defaults().withMaxHeldForReplicas(20)
                        .withMaxHeldForReplicasDays(14),
                c.retention().policies().get(1).policy());
    }

    @Test
    void aBadPolicyIsRefusedAtLoadWithFileLineAndReason() {
        for (String[] bad : new String[][]{
                {"keep: { daily: -1 }", "keep.daily"},
                {"keep: { fortnightly: 2 }", "fortnightly"},
                {"usageThresholdPercent: 150", "usageThresholdPercent"},
                {"usageThresholdPercent: 0", "usageThresholdPercent"},
                {"maxHeldForReplicas: 0", "maxHeldForReplicas"},
                {"maxHeldForReplicas: 1000000", "maxHeldForReplicas"},
                {"maxHeldForReplicasDays: 0", "maxHeldForReplicasDays"},
                {"maxHeldForReplicasDays: 4000", "maxHeldForReplicasDays"},
                {"zone: Mars/Olympus", "Mars/Olympus"},
                {"weeklyOn: someday", "weeklyOn"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                    kafka: { bootstrap: "k:9092" }
                    retention:
                      policies:
                        - match: "tank/*"
                        - match: "primary/vm*"
                          %s
                    """.formatted(bad[0]), "controller.yaml", ControllerConfig.class), bad[0]);
            assertTrue(e.getMessage().matches("controller\\.yaml:[5-7]: .*"), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void aBadKeepOnALinkIsRefusedAtLoadWithFileLineAndReason() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                kafka: { bootstrap: "k:9092" }
                replication:
                  links:
                    - match: "tank/vm*"
                      targetServer: offsite
                      targetRoot: dr
                      keep: { fortnightly: 2 }
                """, "controller.yaml", ControllerConfig.class));
        assertTrue(e.getMessage().matches("controller\\.yaml:[4-8]: .*"), e.getMessage());
        assertTrue(e.getMessage().contains("fortnightly"), e.getMessage());
    }
}
