package io.zsentinel.replication.architecture;

import io.zsentinel.core.architecture.DeciderLayering;
import org.junit.jupiter.api.Test;

/** Every package of replication but its aggregates is plain Java, free of the runtime and of the modules above it. */
class LayeringTest {
    @Test
    void everythingButTheAggregatesIsFrameworkFree() {
        DeciderLayering.check("io.zsentinel.replication");
    }
}
