package io.zsentinel.deploy.cli;

import io.zsentinel.core.messages.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code zsentinel status} ends with what links hold back of retention, one line each, and says nothing when nothing is. */
class StatusHeldBackTest {
    @Test
    void eachHeldBackDatasetGetsItsLineAfterTheTables() throws Exception {
        String summary = "retention of store-a:primary/vm1 held back by link store-a:primary/vm1->store-b:backup/vm1"
                + " since 2026-12-01T02:00:00Z: 9 snapshots, 1024 bytes kept beyond policy";
        String datasets = """
                [{"server":"store-a","dataset":"primary/vm1","retentionHeldBack":[{"summary":"%s"}]},
                 {"server":"store-b","dataset":"backup/vm1","retentionHeldBack":[]}]
                """.formatted(summary);
        assertEquals(System.lineSeparator() + "RETENTION HELD BACK" + System.lineSeparator() + "  " + summary
                + System.lineSeparator(), print(datasets));
        assertEquals("", print("[{\"server\":\"store-b\",\"dataset\":\"backup/vm1\",\"retentionHeldBack\":[]}]"));
    }

    private static String print(String datasets) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusCommand.printHeldBack(Json.newMapper().readTree(datasets), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
