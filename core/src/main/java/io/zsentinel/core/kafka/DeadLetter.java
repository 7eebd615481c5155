package io.zsentinel.core.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;

/** The dead-letter value: where the record came from, its raw value and why it was rejected (DESIGN rule 6). */
final class DeadLetter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeadLetter() {
    }

    static String toJson(ConsumerRecord<String, String> record, String reason, Instant at) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("originalTopic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("key", record.key());
        // Kept as the raw string, not parsed: it may not be JSON at all.
        node.put("value", record.value());
        node.put("reason", reason);
        node.put("at", at.toString());
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a plain ObjectNode", e);
        }
    }
}
