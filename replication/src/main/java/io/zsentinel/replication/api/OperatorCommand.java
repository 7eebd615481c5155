package io.zsentinel.replication.api;

import io.zsentinel.core.values.PrintableText;

import java.time.Instant;

/** A command a person gave through the CLI or REST: always audited with who and why. */
public interface OperatorCommand extends DatasetCommand {
    Operator operator();

    String reason();

    Instant at();

    /** The reason is required: the audit log must say why, not only who; it is printed, so printable. */
    static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required: the audit log records why");
        }
        if (reason.length() > 500) {
            throw new IllegalArgumentException("\"reason\" is " + reason.length() + " characters long; at most 500 are kept");
        }
        return PrintableText.require("reason", reason).strip();
    }
}
