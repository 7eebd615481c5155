package io.zsentinel.core.kafka;

/** The record can never be handled (bad JSON, unknown type...): it goes to the dead-letter topic. */
public class MalformedMessageException extends RuntimeException {

    private final String reason;

    public MalformedMessageException(String reason) {
        super(reason);
        this.reason = reason;
    }

    public MalformedMessageException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
