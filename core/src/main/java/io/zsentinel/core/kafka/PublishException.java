package io.zsentinel.core.kafka;

/** A record was not acknowledged by Kafka (acks=all), so it must be treated as not published. */
public class PublishException extends RuntimeException {

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
