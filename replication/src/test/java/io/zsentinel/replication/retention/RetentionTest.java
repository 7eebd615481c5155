package io.zsentinel.replication.retention;

import io.zsentinel.core.values.Guid;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.zsentinel.replication.retention.SnapshotClass.DAILY;
import static io.zsentinel.replication.retention.SnapshotClass.HOURLY;
import static io.zsentinel.replication.retention.SnapshotClass.WEEKLY;
import static io.zsentinel.replication.retention.Snapshots.snap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetentionTest {
    static final RetentionPolicy THREE_DAILY_ONE_WEEKLY = RetentionPolicy.defaults().withOnlyKeep(Map.of(DAILY, 3, WEEKLY, 1));

    static final RetainedSnapshot D1 = snap("zsentinel_daily_2026-11-20T00:00:00Z", 101, 10);
    static final RetainedSnapshot W1 = snap("zsentinel_weekly_2026-11-16T00:00:00Z", 201, 11);
    static final RetainedSnapshot D2 = snap("zsentinel_daily_2026-11-21T00:00:00Z", 102, 20);
    static final RetainedSnapshot MANUAL = snap("before-upgrade", 900, 25);
    static final RetainedSnapshot D3 = snap("zsentinel_daily_2026-11-22T00:00:00Z", 103, 30);
    static final RetainedSnapshot W2 = snap("zsentinel_weekly_2026-11-23T00:00:00Z", 202, 40);
    static final RetainedSnapshot D4 = snap("zsentinel_daily_2026-11-23T00:00:00Z", 104, 41);
    static final List<RetainedSnapshot> DATASET = List.of(D4, MANUAL, D1, W2, D3, W1, D2);

    @Test
    void eachClassKeepsItsNewestNAndTheRestExpireOldestFirst() {
        assertEquals(List.of(new Expiry(D1, "expired daily (keeping newest 3)"),
                        new Expiry(W1, "expired weekly (keeping newest 1)")),
                Retention.expired(THREE_DAILY_ONE_WEEKLY, DATASET));
    }

    @Test
    void nothingExpiresWhileAClassHasNoMoreThanItsCount() {
        assertEquals(List.of(), Retention.expired(THREE_DAILY_ONE_WEEKLY, List.of(D1, D2, D3, W2, MANUAL)));
        assertEquals(List.of(), Retention.expired(THREE_DAILY_ONE_WEEKLY, List.of()));
    }

    @Test
    void newestMeansHighestCreatetxgNotTheNewestNameNorTheLatestCreationTime() {
        // a clock stepped back: the snapshot taken last (txg 50) carries an older slot than the one before it
        RetainedSnapshot skewed = snap("zsentinel_daily_2026-11-19T00:00:00Z", 105, 50);
        assertEquals(List.of(new Expiry(D1, "expired daily (keeping newest 3)"),   // txg 10
                        new Expiry(W1, "expired weekly (keeping newest 1)"),          // txg 11
                        new Expiry(D2, "expired daily (keeping newest 3)")),          // txg 20, kept D3, D4 and skewed
                Retention.expired(THREE_DAILY_ONE_WEEKLY, List.of(D1, D2, D3, D4, skewed, W1, W2)));
    }

    @Test
    void foreignSnapshotsNeverExpireByCount() {
        List<RetainedSnapshot> manual = List.of(snap("a", 1, 1), snap("b", 2, 2), snap("autosnap_2026-11-20_daily", 3, 3),
                snap("zsentinel_daily_garbage", 4, 4));
        assertEquals(List.of(), Retention.expired(THREE_DAILY_ONE_WEEKLY.withOnlyKeep(Map.of()), manual));
        assertEquals(List.of(), Retention.expired(THREE_DAILY_ONE_WEEKLY.withPruneForeignSnapshots(true), manual));
    }

    @Test
    void aClassSwitchedOffExpiresAllItsSnapshots() {
        RetentionPolicy noWeekly = THREE_DAILY_ONE_WEEKLY.withKeep(WEEKLY, 0);
        assertEquals(List.of(new Expiry(D1, "expired daily (keeping newest 3)"),
                        new Expiry(W1, "expired weekly (class switched off, keeping 0)"),
                        new Expiry(W2, "expired weekly (class switched off, keeping 0)")),
                Retention.expired(noWeekly, DATASET));
        assertEquals(List.of(), Retention.expired(noWeekly, List.of(D2, D3, D4, MANUAL)));
    }

    @Test
    void classesAreCountedSeparatelyEvenWhenTheyShareASlot() {
        RetainedSnapshot hourly = snap("zsentinel_hourly_2026-11-23T00:00:00Z", 301, 41);
        assertEquals(List.of(), Retention.expired(RetentionPolicy.defaults().withOnlyKeep(Map.of(DAILY, 1, HOURLY, 1)),
                List.of(D4, hourly)));
    }

    @Test
    void protectionKeepsTheNewestOfTheDatasetAndProtectedGuidsAndSaysWhy() {
        RetainedSnapshot d5 = snap("zsentinel_daily_2026-11-24T00:00:00Z", 105, 50);
        List<RetainedSnapshot> dataset = List.of(D1, D2, D3, D4, d5);
        RetentionPolicy none = RetentionPolicy.defaults().withOnlyKeep(Map.of()); // every daily expires
        RetentionPlan plan = Retention.plan(none, dataset, Set.of(D2.guid()));
        assertEquals(List.of(new Expiry(D1, "expired daily (class switched off, keeping 0)"),
                new Expiry(D3, "expired daily (class switched off, keeping 0)"),
                new Expiry(D4, "expired daily (class switched off, keeping 0)")), plan.destroy());
        assertEquals(List.of(
                new Blocked(D2, "expired daily (class switched off, keeping 0), but kept: protected (replication base or held), guid 102"),
                new Blocked(d5, "expired daily (class switched off, keeping 0), but kept: newest snapshot of the dataset (createtxg 50)")),
                plan.blocked());
    }

    @Test
    void theNewestOfTheDatasetMayBeForeignThenTheNewestZsentinelOneCanGo() {
        RetainedSnapshot manual = snap("before-upgrade", 900, 99);
        assertEquals(List.of(), Retention.plan(RetentionPolicy.defaults().withOnlyKeep(Map.of()),
                List.of(D1, manual), Set.of()).blocked());
        assertEquals(Optional.empty(), Protection.blockReason(Set.of(), List.of(D1, manual), D1));
        assertEquals(Optional.of("newest snapshot of the dataset (createtxg 99)"),
                Protection.blockReason(Set.of(), List.of(D1, manual), manual));
    }

    @Test
    void aZsentinelNameWithoutItsSlotIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetainedSnapshot(D1.name(), new Guid(1), 1,
                Optional.of(DAILY), Optional.empty()));
    }
}
