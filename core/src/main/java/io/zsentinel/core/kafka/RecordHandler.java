package io.zsentinel.core.kafka;

import io.zsentinel.core.messages.MalformedMessageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles one record for {@link TopicConsumerLoop}. Throw {@link MalformedMessageException} for a
 * record that can never be handled (it is dead-lettered); any other exception means "try again later":
 * for as long as the store or broker is down, else up to the loop's maxAttempts, then it is dead-lettered.
 */
@FunctionalInterface
public interface RecordHandler {
    void handle(ConsumerRecord<String, String> record) throws Exception;
}
