package io.zsentinel.deploy.config;

import io.zsentinel.core.config.ConfigException;
import io.zsentinel.core.config.ConfigFiles;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code failover:} in controller.yaml: defaults, the file's values, and a window too short to wait for a lease refused. */
class FailoverConfigTest {
    @Test
    void withoutASectionTheDefaultsHold() {
        ControllerConfig c = ConfigFiles.parse("kafka: { bootstrap: \"k:9092\" }\n", "controller.yaml", ControllerConfig.class);
        assertEquals(Duration.ofSeconds(15), c.failover().leaseAndMargin());
        assertEquals(Duration.ofMinutes(5), c.failover().window());
    }

    @Test
    void theFilesValuesAreTaken() {
        ControllerConfig c = ConfigFiles.parse("""
                kafka: { bootstrap: "k:9092" }
                failover: { leaseSeconds: 6, leaseMarginSeconds: 2, windowSeconds: 120 }
                """, "controller.yaml", ControllerConfig.class);
        assertEquals(Duration.ofSeconds(8), c.failover().leaseAndMargin());
        assertEquals(Duration.ofMinutes(2), c.failover().window());
    }

    @Test
    void aWindowNoLongerThanTheLeaseIsRefusedWithTheLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                kafka: { bootstrap: "k:9092" }
                failover: { leaseSeconds: 10, windowSeconds: 12 }
                """, "controller.yaml", ControllerConfig.class));
        assertTrue(e.getMessage().startsWith("controller.yaml:2:")
                && e.getMessage().contains("windowSeconds"), e.getMessage());
        assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                kafka: { bootstrap: "k:9092" }
                failover: { leaseSeconds: 0 }
                """, "controller.yaml", ControllerConfig.class));
    }
}
