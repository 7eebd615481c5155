package io.zsentinel.core.messages;

/** A message that can never be read, however often it is retried: it belongs on the dead-letter topic. */
public class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String reason) {
        super(reason);
    }

    public MalformedMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public String reason() {
        return getMessage();
    }
}
