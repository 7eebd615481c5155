package io.zsentinel.core.values;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameValidationTest {
    private static final String VALID_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:. ";
    private static final String HOSTILE = ";$`'\"\n\r\t|&<>(){}*?!\\#%~^,=+[]";

    @ParameterizedTest
    @ValueSource(strings = {"tank/vm;rm -rf", "tank/$(reboot)", "tank/a'b", "tank/a\"b", "tank/`id`",
            "tank/a\nb", "-tank/vm", "tank//vm", "tank/vm/", "/tank", "tank/../etc", "tank/./x",
            "tank/vm@snap", "tank/vm#bm", "", "tank/vm|cat", "tank/vm&", "tank/v\u0000m", "1tank/vm",
            "mirror1/vm"})
    void datasetNamesThatMustNeverReachAProcess(String bad) {
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> new DatasetName(bad));
        assertTrue(e.getMessage().startsWith("invalid dataset name"), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one-line message: " + e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tank/vm@", "tank/vm@a;b", "tank/vm@$(x)", "tank/vm@a'b", "tank/vm@`x`",
            "tank/vm@a\nb", "tank/vm@a@b", "tank/vm", "@snap", "tank/vm@a/b", "-tank@x"})
    void snapshotNamesThatMustNeverReachAProcess(String bad) {
        assertThrows(InvalidNameException.class, () -> SnapshotName.parse(bad));
    }

    @Test
    void lengthLimitIsZfsMaximum() {
        String ok = "tank/" + "a".repeat(250);
        assertEquals(255, new DatasetName(ok).value().length());
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> new DatasetName(ok + "b"));
        assertTrue(e.getMessage().contains("at most 255"), e.getMessage());
        assertThrows(InvalidNameException.class, () -> new SnapshotName(new DatasetName(ok), "x"));
    }

    @Test
    void validNamesIncludingSpaceAndPunctuation() {
        DatasetName ds = new DatasetName("primary/vm 1/disk-0_a:b.c");
        assertEquals(new PoolName("primary"), ds.pool());
        SnapshotName snap = SnapshotName.parse("primary/vm 1/disk-0_a:b.c@zsentinel_daily_2026-11-25T00:00:00Z");
        assertEquals(ds, snap.dataset());
        assertEquals("zsentinel_daily_2026-11-25T00:00:00Z", snap.shortName());
        assertEquals("primary/vm 1/disk-0_a:b.c@zsentinel_daily_2026-11-25T00:00:00Z", snap.full());
    }

    @Test
    void generatedValidNamesAreAcceptedAndRoundTrip() {
        Random random = new Random(20261125L);
        for (int i = 0; i < 5_000; i++) {
            String name = "p" + component(random) + "/" + component(random);
            if (name.contains("/./") || name.endsWith("/.") || name.endsWith("/..")) {
                continue;
            }
            DatasetName ds = new DatasetName(name);
            String snap = component(random);
            if (snap.equals(".") || snap.equals("..")) {
                continue;
            }
            assertEquals(ds.snapshot(snap), SnapshotName.parse(name + "@" + snap));
        }
    }

    @Test
    void generatedNamesWithAnyHostileCharacterAreRejected() {
        Random random = new Random(42L);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder("tank/").append(component(random));
            sb.insert(5 + random.nextInt(sb.length() - 4), HOSTILE.charAt(random.nextInt(HOSTILE.length())));
            String name = sb.toString();
            assertThrows(InvalidNameException.class, () -> new DatasetName(name), name);
            assertThrows(InvalidNameException.class, () -> SnapshotName.parse("tank/x@" + name.substring(5)), name);
        }
    }

    @Test
    void guidIsUnsigned64Bit() {
        Guid max = Guid.parse("18446744073709551615");
        assertEquals(-1L, max.bits());
        assertEquals("18446744073709551615", max.toString());
        assertThrows(IllegalArgumentException.class, () -> Guid.parse("18446744073709551616"));
        assertThrows(IllegalArgumentException.class, () -> Guid.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> Guid.parse("12a"));
        assertThrows(IllegalArgumentException.class, () -> Guid.parse(""));
    }

    @Test
    void serverIds() {
        assertEquals("storage-01.dc2", new ServerId("storage-01.dc2").value());
        for (String bad : new String[]{"", "-x", "a b", "a/b", "a;b", "x".repeat(64), "a:b"}) {
            assertThrows(InvalidNameException.class, () -> new ServerId(bad), bad);
        }
    }

    @Test
    void quotingForSshKeepsASpacedNameOneArgument() {
        assertEquals("'zfs' 'send' 'tank/vm 1@a'", ShellQuoting.commandLine(java.util.List.of("zfs", "send", "tank/vm 1@a")));
        assertEquals("'it'\\''s'", ShellQuoting.quote("it's"));
    }

    private static String component(Random random) {
        int length = 1 + random.nextInt(20);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(VALID_CHARS.charAt(random.nextInt(VALID_CHARS.length())));
        }
        if (sb.charAt(0) == '-') {
            sb.setCharAt(0, 'x');
        }
        return sb.toString();
    }
}
