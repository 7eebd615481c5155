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
    void malformedEncodingIsABadRequest() {
        ApiException e = assertThrows(ApiException.class, () -> snapshots.match("/api/datasets/a%zz/snapshots"));
        assertEquals(400, e.status());
    }
}
