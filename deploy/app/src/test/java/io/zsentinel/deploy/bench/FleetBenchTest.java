package io.zsentinel.deploy.bench;

import io.zsentinel.deploy.bench.FleetBench.Phase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetBenchTest {
    private static final Duration WAIT = Duration.ofMinutes(1);

    @Test
    void phasesAreChosenByNameInAnyCaseAndAllByDefault() {
        assertEquals(EnumSet.of(Phase.INGEST, Phase.PLAN), Phase.parse(List.of("ingest", " PLAN")));
        assertEquals(EnumSet.allOf(Phase.class), Phase.parse(null));
    }

    @Test
    void anUnknownPhaseIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Phase.parse(List.of("ingset")));
        assertTrue(e.getMessage().contains("\"ingset\"") && e.getMessage().contains("ingest,publish,liveness,memory,"
                + "rebuild,load,plan"), e.getMessage());
    }

    @Test
    void badSizesAndStoresAreRefusedBeforeAnythingStarts() {
        assertThrows(IllegalArgumentException.class, () -> options(0, 10, null));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> options(10, 5000, null));
        assertTrue(big.getMessage().contains("--snapshots 5000"), big.getMessage());
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> options(10, 10, "jdbc:mysql://db/zsentinel"));
        assertTrue(url.getMessage().contains("jdbc:postgresql:"), url.getMessage());
    }

    private static FleetBench.Options options(int servers, int snapshots, String jdbcUrl) {
        return new FleetBench.Options(servers, 10, snapshots, 100, List.of(1000), Set.of(), jdbcUrl, null, null,
                Path.of("/tmp"), null, null, WAIT, WAIT, WAIT);
    }
}
