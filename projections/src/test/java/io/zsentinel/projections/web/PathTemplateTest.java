package io.zsentinel.projections.web;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PathTemplateTest {
    private final PathTemplate snapshots = new PathTemplate("/api/datasets/{name}/snapshots");

    @Test
    void decodesEachSegmentAfterSplitting() {
        assertEquals(Optional.of(Map.of("name", "primary/vm 1+x")),
                snapshots.match("/api/datasets/primary%2Fvm%201+x/snapshots"), "'+' in a path is a plus");
    }

    @Test
    void needsEverySegment() {
        assertEquals(Optional.empty(), snapshots.match("/api/datasets//snapshots"));
        assertEquals(Optional.empty(), snapshots.match("/api/datasets/x/snapshots/"));
        assertEquals(Optional.empty(), snapshots.match("/api/datasets/x"));
    }

    @Test
    void anUnencodedSlashInAParameterIsFoundAndEncoded() {
        assertEquals(Optional.of("/api/datasets/primary%2Fvm1/snapshots"),
                snapshots.withSlashesEncoded("/api/datasets/primary/vm1/snapshots"));
        assertEquals(Optional.of("/api/datasets/tank%2Fa%2Fb%2Fc/snapshots"),
                snapshots.withSlashesEncoded("/api/datasets/tank/a/b/c/snapshots"));
        PathTemplate release = new PathTemplate("/api/datasets/{name}/checkpoints/{snapshot}/release");
        assertEquals(Optional.of("/api/datasets/primary%2Fvm1/checkpoints/c1/release"),
                release.withSlashesEncoded("/api/datasets/primary/vm1/checkpoints/c1/release"));
        assertEquals(Optional.empty(), snapshots.withSlashesEncoded("/api/datasets/primary%2Fvm1/snapshots"));
        assertEquals(Optional.empty(), snapshots.withSlashesEncoded("/api/datasets/primary/vm1/other"));
        assertEquals(Optional.empty(), snapshots.withSlashesEncoded("/api/servers/a/b/snapshots"));
    }

    @Test
    void malformedEncodingIsABadRequest() {
        ApiException e = assertThrows(ApiException.class, () -> snapshots.match("/api/datasets/a%zz/snapshots"));
        assertEquals(400, e.status());
    }
}
