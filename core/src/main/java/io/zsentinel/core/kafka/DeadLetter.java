package io.zsentinel.core.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The dead-letter value: where the record came from, its raw value and why it was rejected (DESIGN rule 6).
 * It always fits the broker's limit (1 MB by default): the value is cut to at most {@link #MAX_BYTES} of
 * JSON, and the original's size and SHA-256 digest say what was cut, so the record can still be found
 * and compared (e.g. {@code kafka-console-consumer … | sha256sum}).
 */
final class DeadLetter {

    /** Far below the broker's default message.max.bytes (1 MB), so a dead letter is never too large. */
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_KEY_CHARS = 256;
    static final int MAX_REASON_CHARS = 2000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeadLetter() {
    }

    /** The key the dead letter is published under: the original key, cut like the key field. */
    static String key(ConsumerRecord<String, String> record) {
        return cut(record.key(), MAX_KEY_CHARS);
    }

    /** {@code rawValue} is the value's bytes as they were on the topic (null for a tombstone). */
    static String toJson(ConsumerRecord<String, String> record, byte[] rawValue, String reason, Instant at) {
        String value = record.value();
        // JSON escaping can make one char six bytes: start from a budget that fits, halve if it still does not.
        int budget = MAX_BYTES / 6;
        while (true) {
            String json = write(record, rawValue, value, budget, reason, at);
            if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES || budget == 0) {
                return json;
            }
            budget /= 2;
        }
    }

    private static String write(ConsumerRecord<String, String> record, byte[] rawValue, String value, int valueChars,
                                String reason, Instant at) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("originalTopic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("key", key(record));
        // Kept as the raw string, not parsed: it may not be JSON at all.
        node.put("value", cut(value, valueChars));
        node.put("valueTruncated", value != null && value.length() > valueChars);
        node.put("valueBytes", rawValue == null ? 0 : rawValue.length);
        node.put("valueSha256", rawValue == null ? null : sha256(rawValue));
        node.put("reason", cut(reason, MAX_REASON_CHARS));
        node.put("at", at.toString());
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a plain ObjectNode", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** At most {@code max} chars, never splitting a surrogate pair. */
    private static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
