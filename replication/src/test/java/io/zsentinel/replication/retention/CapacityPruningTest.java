package io.zsentinel.replication.retention;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapacityPruningTest {
    static final RetentionPolicy POLICY = RetentionPolicy.defaults(); // threshold 70%, foreign snapshots spared

    @Test
    void pruningStartsOverTheThresholdNotAtIt() {
        assertFalse(CapacityPruning.isOverThreshold(POLICY, 70));
        assertTrue(CapacityPruning.isOverThreshold(POLICY, 71));
    }
}
