package io.zsentinel.deploy.config;

import io.zsentinel.core.values.PoolName;
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
}
