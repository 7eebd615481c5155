package io.zsentinel.replication.retention;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.SnapshotName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static io.zsentinel.replication.retention.SnapshotClass.DAILY;
import static io.zsentinel.replication.retention.SnapshotClass.HOURLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotNamingTest {
    static final Instant SLOT = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void aNameCarriesTheClassAndTheSlotInUtc() {
        assertEquals("zsentinel_daily_2026-11-25T00:00:00Z", SnapshotNaming.name(DAILY, SLOT));
        assertEquals("zsentinel_hourly_2026-03-29T01:00:00Z",
                SnapshotNaming.name(HOURLY, Instant.parse("2026-03-29T01:00:00Z")));
    }

    @Test
    void everyClassRoundTripsAndIsAValidZfsSnapshotName() {
        for (SnapshotClass c : SnapshotClass.values()) {
            for (Instant slot : new Instant[] {SLOT, Instant.EPOCH, Instant.parse("9999-12-31T23:59:59Z")}) {
                String name = SnapshotNaming.name(c, slot);
                assertEquals(Optional.of(new SnapshotSlot(c, slot)), SnapshotNaming.parse(name));
                SnapshotName full = DatasetName.of("primary/vm1").snapshot(name); // throws if ZFS would refuse it
                assertEquals("primary/vm1@" + name, full.full());
            }
        }
    }

    @Test
    void namesOfOneClassSortLikeTheirSlots() {
        assertTrue(SnapshotNaming.name(DAILY, SLOT).compareTo(SnapshotNaming.name(DAILY, SLOT.plusSeconds(86_400))) < 0);
        assertTrue(SnapshotNaming.name(DAILY, Instant.parse("2026-09-30T22:00:00Z"))
                .compareTo(SnapshotNaming.name(DAILY, Instant.parse("2026-10-01T22:00:00Z"))) < 0);
    }

    @Test
    void foreignAndNearMissNamesAreNotZsentinel() {
        for (String foreign : new String[] {
                "autosnap_2026-11-25_00:00:00_daily",          // sanoid
                "zfs-auto-snap_daily-2026-11-25-0000",          // zfs-auto-snapshot
                "zsentinel_daily",                              // no slot
                "zsentinel_biweekly_2026-11-25T00:00:00Z",      // unknown class
                "zsentinel_Daily_2026-11-25T00:00:00Z",         // not lowercase
                "zsentinel_daily_2026-13-01T00:00:00Z",         // no month 13
                "zsentinel_daily_2026-02-30T00:00:00Z",         // no 30 February
                "zsentinel_daily_2026-11-25T00:00Z",            // no seconds
                "zsentinel_daily_2026-11-25T00:00:00.000Z",     // not canonical
                "zsentinel_daily_2026-11-25T00:00:00+01:00",    // not UTC
                "zsentinel_daily_2026-11-25T00:00:00Z_manual",  // something appended
                "my_zsentinel_daily_2026-11-25T00:00:00Z",
                ""}) {
            assertEquals(Optional.empty(), SnapshotNaming.parse(foreign), foreign);
        }
        assertEquals(Optional.empty(), SnapshotNaming.parse(null));
    }

    @Test
    void aSlotThatCannotBeNamedIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SnapshotNaming.name(DAILY, SLOT.plusMillis(1)));
        assertEquals("a snapshot slot must be a whole second between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z,"
                + " was 2026-11-25T00:00:00.001Z", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SnapshotNaming.name(DAILY, Instant.parse("+10000-01-01T00:00:00Z")));
    }
}
