package io.zsentinel.deploy.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.core.values.PrintableText;
import io.zsentinel.projections.web.ApiException;
import io.zsentinel.projections.web.ApiRequest;
import io.zsentinel.replication.api.Operator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON object of an operator POST. Strict on purpose: an unknown field is refused, because a
 * misspelt {@code "destroy_newer"} silently read as false would hide the operator's intent.
 */
final class OperatorBody {
    static final String OPERATOR_HEADER = "X-Zsentinel-Operator";
    private static final ObjectMapper JSON = Json.newMapper();

    private final JsonNode node;

    private OperatorBody(JsonNode node) {
        this.node = node;
    }

    /** {@code fields} besides "operator" and "reason", which every operator command takes. */
    static OperatorBody parse(ApiRequest request, String... fields) {
        JsonNode node;
        try {
            node = request.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage(),
                    "send a JSON object such as {\"operator\": \"alice@ops\", \"reason\": \"before upgrade\"}");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object",
                    "send {\"operator\": \"...\", \"reason\": \"...\"}");
        }
        Set<String> allowed = new TreeSet<>(List.of(fields));
        allowed.add("operator");
        allowed.add("reason");
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown field(s) " + unknown + " in the request body",
                    "this request takes " + allowed);
        }
        return new OperatorBody(node);
    }

    /**
     * A string field; absent, null or empty count as absent. Every field is printed later (audit log,
     * CLI, logs), so a character a terminal would act on is refused here, naming the field.
     */
    Optional<String> text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("\"" + field + "\" must be a string", "quote it: \"" + field + "\": \"...\"");
        }
        try {
            return Optional.of(PrintableText.require(field, value.asText())).filter(v -> !v.isEmpty());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), "nothing was ordered; send \"" + field
                    + "\" as plain text without control characters");
        }
    }

    String required(String field, String hint) {
        return text(field).orElseThrow(() -> ApiException.badRequest("\"" + field + "\" is required", hint));
    }

    boolean flag(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("\"" + field + "\" must be true or false, not " + value,
                    "send \"" + field + "\": true");
        }
        return value.booleanValue();
    }

    /** A true/false field the request must have. */
    boolean requiredFlag(String field, String hint) {
        if (node.get(field) == null || node.get(field).isNull()) {
            throw ApiException.badRequest("\"" + field + "\" is required", hint);
        }
        return flag(field);
    }

    /** May be null: the command's own check then says a reason is required, in the audit log's words. */
    String reason() {
        return text("reason").orElse(null);
    }

    /** Who asks: the body's {@code operator}, else the {@value #OPERATOR_HEADER} header. */
    Operator operator(ApiRequest request) {
        String name = text("operator").or(() -> request.header(OPERATOR_HEADER)).orElseThrow(() ->
                ApiException.badRequest("who is asking? an operator is required for the audit log",
                        "send \"operator\": \"alice@ops\" in the body or the " + OPERATOR_HEADER
                                + " header (the CLI sends $USER@host)"));
        try {
            return new Operator(PrintableText.require("operator", name));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), "name the person, e.g. alice@ops");
        }
    }
}
