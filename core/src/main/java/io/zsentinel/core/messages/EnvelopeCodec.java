package io.zsentinel.core.messages;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes and reads {@link Envelope}s as JSON. Reading never throws anything but
 * {@link MalformedMessageException}, whose message is the reason that goes to the dead-letter topic.
 */
public final class EnvelopeCodec {
    private final ObjectMapper mapper;
    private final MessageTypes types;

    public EnvelopeCodec(MessageTypes types) {
        this(types, Json.newMapper());
    }

    public EnvelopeCodec(MessageTypes types, ObjectMapper mapper) {
        this.types = types;
        this.mapper = mapper;
    }

    public <T extends Message> Envelope<T> wrap(T payload, String source, Instant occurredAt) {
        MessageTypes.Type type = types.of(payload.getClass());
        return new Envelope<>(UUID.randomUUID(), type.name(), type.version(), occurredAt, source, payload);
    }

    public String encode(Envelope<?> envelope) {
        ObjectNode node = mapper.createObjectNode();
        node.put("messageId", envelope.messageId().toString());
        node.put("type", envelope.type());
        node.put("schemaVersion", envelope.schemaVersion());
        node.put("occurredAt", envelope.occurredAt().toString());
        node.put("source", envelope.source());
        node.set("payload", mapper.valueToTree(envelope.payload()));
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + envelope.type(), e);
        }
    }

    /**
     * The envelope's type, read without the rest of the message (for a consumer that only wants a few types);
     * empty when the text is no JSON object with a textual "type". Never throws: {@link #decode} says what is wrong.
     */
    public Optional<String> typeOf(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try (JsonParser parser = mapper.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? Optional.of(parser.getText()) : Optional.empty();
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public Envelope<Message> decode(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedMessageException("empty message");
        }
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedMessageException("not a JSON object");
        }
        String typeName = text(node, "type");
        MessageTypes.Type type = types.byName(typeName)
                .orElseThrow(() -> new MalformedMessageException("unknown message type \"" + typeName + "\""));
        int version = node.path("schemaVersion").asInt(-1);
        if (version < 1 || version > type.version()) {
            throw new MalformedMessageException("unsupported schemaVersion " + node.path("schemaVersion")
                    + " of " + typeName + " (this build reads 1.." + type.version() + ")");
        }
        UUID messageId;
        Instant occurredAt;
        try {
            messageId = UUID.fromString(text(node, "messageId"));
            occurredAt = Instant.parse(text(node, "occurredAt"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedMessageException("bad envelope field: " + e.getMessage(), e);
        }
        JsonNode payloadNode = node.get("payload");
        if (payloadNode == null || !payloadNode.isObject()) {
            throw new MalformedMessageException(typeName + " has no payload object");
        }
        Message payload;
        try {
            payload = mapper.treeToValue(payloadNode, type.javaType());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedMessageException("invalid " + typeName + " payload: " + rootMessage(e), e);
        }
        return new Envelope<>(messageId, typeName, version, occurredAt, text(node, "source"), payload);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedMessageException("envelope field \"" + field + "\" is missing");
        }
        return value.asText();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
