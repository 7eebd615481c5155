package io.zsentinel.failover.api;

import io.zsentinel.core.values.PrintableText;

import java.util.Objects;

/**
 * Who ordered something and why, for the audit log: a forced failover ({@code zsentinel failover force <service> --to
 * <server> --reason …}), maintenance mode ({@code zsentinel maintenance on|off <server> --reason …}).
 */
public record OperatorOrder(String operator, String reason) {
    public OperatorOrder {
        if (operator == null || operator.isBlank() || operator.length() > 100) {
            throw new IllegalArgumentException("an operator's order needs the operator's name (1 to 100 characters, e.g. alice@ops)");
        }
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new IllegalArgumentException("an operator's order needs a reason (1 to 500 characters): it goes to the audit log");
        }
        PrintableText.require("operator", operator);
        PrintableText.require("reason", reason);
        operator = operator.strip();
        reason = reason.strip();
    }

    @Override
    public String toString() {
        return Objects.toString(operator) + ": " + reason;
    }
}
