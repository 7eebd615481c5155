package io.zsentinel.failover.architecture;

import io.zsentinel.core.architecture.DeciderLayering;
import org.junit.jupiter.api.Test;

class LayeringTest {
    @Test
    void decidersAreFrameworkFree() {
        DeciderLayering.check("io.zsentinel.failover");
    }
}
