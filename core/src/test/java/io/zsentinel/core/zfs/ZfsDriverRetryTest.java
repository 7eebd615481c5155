package io.zsentinel.core.zfs;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.SnapshotName;
import io.zsentinel.core.zfs.ZfsDriverCommandsTest.ScriptedRunner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.zsentinel.core.zfs.ZfsDriverCommandsTest.fail;
import static io.zsentinel.core.zfs.ZfsDriverCommandsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The destroys' Resilience4j retry against a scripted zfs: how many attempts, which failures are tried again, and the
 * pauses asked for (recorded, not waited: the driver takes its pauses from the test).
 */
class ZfsDriverRetryTest {
    private static final String MISSING = "cannot open 'x': dataset does not exist\n";
    private static final String BUSY = "cannot destroy 'tank/c': dataset is busy\n";

    private final List<Integer> pausesAskedFor = new ArrayList<>();

    private ZfsDriver driver(ScriptedRunner runner) {
        return new ZfsDriver(runner, ZfsFeatures.ZFS_FUSE, Duration.ofSeconds(5), retry -> {
            pausesAskedFor.add(retry);
            return 0L;
        });
    }

    private static long count(ScriptedRunner runner, String subcommand) {
        return runner.commands.stream().filter(c -> c.get(1).equals(subcommand)).count();
    }

    private static ScriptedRunner zfs(Function<List<String>, CommandResult> destroy, boolean stillThere) {
        return new ScriptedRunner(c -> c.get(1).equals("destroy") ? destroy.apply(c)
                : stillThere ? ok(c, c.get(c.size() - 1) + "\n") : fail(c, MISSING));
    }

    @Test
    void theProductionPausesGrowBy100MillisecondsARetry() {
        assertEquals(List.of(100L, 200L, 300L, 400L),
                List.of(1, 2, 3, 4).stream().map(ZfsDriver.DESTROY_PAUSES::apply).toList());
    }

    @Test
    void aSnapshotThatStaysAfterASuccessfulDestroyIsDestroyedAgainFiveTimesInAllThenBusy() {
        ScriptedRunner runner = zfs(c -> ok(c, ""), true);
        ZfsException e = assertThrows(ZfsException.class, () -> driver(runner).destroySnapshot(SnapshotName.parse("tank@a")));
        assertEquals(ZfsErrorKind.BUSY, e.kind());
        assertTrue(e.getMessage().contains("zfs reported success 5 times but the snapshot still exists"), e.getMessage());
        assertEquals(ZfsDriver.DESTROY_ATTEMPTS, count(runner, "destroy"));
        assertEquals(ZfsDriver.DESTROY_ATTEMPTS, count(runner, "list"), "each destroy is checked");
        assertEquals(List.of(1, 2, 3, 4), pausesAskedFor);
    }

    @Test
    void aSnapshotGoneWhenDestroyedAgainIsDone() {
        int[] destroys = {0};
        ScriptedRunner runner = new ScriptedRunner(c -> {
            if (c.get(1).equals("destroy")) {
                return ++destroys[0] == 1 ? ok(c, "") : fail(c, MISSING); // the second finds it gone meanwhile
            }
            return destroys[0] == 1 ? ok(c, "tank@a\n") : fail(c, MISSING);
        });
        driver(runner).destroySnapshot(SnapshotName.parse("tank@a"));
        assertEquals(2, count(runner, "destroy"));
        assertEquals(List.of(1), pausesAskedFor);
    }

    @Test
    void aFailedSnapshotDestroyIsNotRetriedEvenWhenBusy() {
        for (String stderr : List.of(BUSY, MISSING, "cannot destroy 'tank@a': permission denied\n")) {
            pausesAskedFor.clear();
            ScriptedRunner runner = zfs(c -> fail(c, stderr), true);
            ZfsException e = assertThrows(ZfsException.class,
                    () -> driver(runner).destroySnapshot(SnapshotName.parse("tank@a")));
            assertEquals(ZfsErrorKind.classify(stderr), e.kind());
            assertEquals(1, runner.commands.size(), stderr);
            assertTrue(pausesAskedFor.isEmpty());
        }
    }

    @Test
    void aBusyDatasetIsTriedFiveTimesThenItsBusyErrorIsThrown() {
        ScriptedRunner runner = zfs(c -> fail(c, BUSY), true);
        ZfsException e = assertThrows(ZfsException.class, () -> driver(runner).destroyDataset(DatasetName.of("tank/c")));
        assertEquals(ZfsErrorKind.BUSY, e.kind());
        assertTrue(e.getMessage().contains("dataset is busy"), e.getMessage());
        assertEquals(ZfsDriver.DESTROY_ATTEMPTS, count(runner, "destroy"));
        assertEquals(ZfsDriver.DESTROY_ATTEMPTS - 1, count(runner, "list"), "checked after each busy but the last");
        assertEquals(List.of(1, 2, 3, 4), pausesAskedFor);
    }

    @Test
    void aDatasetDestroyThatFailsOtherwiseIsNotRetried() {
        for (String stderr : List.of(MISSING, "cannot destroy 'tank/c': permission denied\n",
                "cannot destroy 'tank/c': filesystem has children\n")) {
            pausesAskedFor.clear();
            ScriptedRunner runner = zfs(c -> fail(c, stderr), true);
            ZfsException e = assertThrows(ZfsException.class, () -> driver(runner).destroyDataset(DatasetName.of("tank/c")));
            assertEquals(ZfsErrorKind.classify(stderr), e.kind());
            assertEquals(1, runner.commands.size(), stderr);
            assertTrue(pausesAskedFor.isEmpty());
        }
    }

    @Test
    void aDatasetStillThereAfterFiveReportedSuccessesIsBusy() {
        ScriptedRunner runner = zfs(c -> ok(c, ""), true);
        ZfsException e = assertThrows(ZfsException.class, () -> driver(runner).destroyDataset(DatasetName.of("tank/c")));
        assertEquals(ZfsErrorKind.BUSY, e.kind());
        assertTrue(e.getMessage().contains("still exists after 5 attempts"), e.getMessage());
        assertEquals(ZfsDriver.DESTROY_ATTEMPTS, count(runner, "destroy"));
    }

    @Test
    void aDatasetGoneAtOnceCostsOneDestroyAndOneCheck() {
        ScriptedRunner runner = zfs(c -> ok(c, ""), false);
        driver(runner).destroyDataset(DatasetName.of("tank/c"));
        assertEquals(2, runner.commands.size());
        assertTrue(pausesAskedFor.isEmpty());
    }
}
