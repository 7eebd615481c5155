package io.zsentinel.deploy.config;

import io.zsentinel.core.config.KafkaConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControllerLeaseConfigTest {
    @Test
    void defaultsRenewEveryTwoSecondsForATenSecondLeaseUnderAUniqueName() {
        ControllerLeaseConfig lease = new ControllerConfig(new KafkaConfig("k:9092", null), null, null, null)
                .controllerLease();
        assertEquals(Duration.ofSeconds(2), lease.renewEvery());
        assertEquals(Duration.ofSeconds(10), lease.ttl());
        assertNotEquals(lease.holder(), ControllerLeaseConfig.defaults().holder(), "two controllers in one JVM differ");
        assertEquals("ctl-a", new ControllerLeaseConfig(null, null, " ctl-a ").holder());
    }

    @Test
    void aLeaseShorterThanTwoRenewalsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ControllerLeaseConfig(3, 5, null));
        assertTrue(e.getMessage().contains("at least twice renewSeconds"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ControllerLeaseConfig(0, 10, null));
    }
}
