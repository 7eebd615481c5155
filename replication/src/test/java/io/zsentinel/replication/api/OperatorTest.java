package io.zsentinel.replication.api;

import io.zsentinel.core.messages.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The operator's name as stored events hold it: what an older version accepted still loads. */
class OperatorTest {
    @Test
    void aStoredNameWithAnInvisibleCharacterStillLoadsTheRestBoundaryRefusesNewOnes() throws Exception {
        // a zero-width space: accepted before issue 8, refused at the REST boundary since; stored events keep it
        Operator stored = Json.newMapper().readValue("\"ali\\u200bce\"", Operator.class);
        assertEquals("ali\u200bce", stored.name());
    }

    @Test
    void controlCharactersNeverMakeAnOperator() {
        assertThrows(IllegalArgumentException.class, () -> new Operator("alice\u001b[31m"));
        assertThrows(IllegalArgumentException.class, () -> new Operator(" "));
    }
}
