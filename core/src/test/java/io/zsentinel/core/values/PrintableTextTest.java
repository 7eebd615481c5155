package io.zsentinel.core.values;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrintableTextTest {
    @Test
    void refusesWhatATerminalActsOnNamingTheFieldTheCharacterAndWhere() {
        assertEquals("before the upgrade — Grüße, 数据 ✓", PrintableText.require("reason", "before the upgrade — Grüße, 数据 ✓"));
        assertNull(PrintableText.require("reason", null));
        String message = assertThrows(IllegalArgumentException.class,
                () -> PrintableText.require("reason", "ok \u001b[31mred")).getMessage();
        assertTrue(message.startsWith("\"reason\" contains an escape character (U+001B) at character 4"), message);
        for (String bad : new String[]{"a\nb", "a\r", "\tx", "bell\u0007", "c1\u009b", "del\u007f", "bidi\u202e",
                "zero\u200bwidth", "line\u2028sep", "lone\ud800"}) {
            assertThrows(IllegalArgumentException.class, () -> PrintableText.require("reason", bad), bad);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrintableText.require("path", "a\nb"))
                .getMessage().contains("\"path\" contains a newline at character 2"));
    }

    @Test
    void escapesForTheTerminalAndLeavesPrintableTextAlone() {
        assertEquals("\\e]0;title\\u0007\\e[31mred\\r\\nforged", PrintableText.escape("\u001b]0;title\u0007\u001b[31mred\r\nforged"));
        assertEquals("tab\\there \\u202e \\u009b", PrintableText.escape("tab\there \u202e \u009b"));
        String plain = "primary/vm1@zsentinel_daily_2026 — Grüße 😀";
        assertEquals(plain, PrintableText.escape(plain));
        assertNull(PrintableText.escape(null));
    }
}
