package io.zsentinel.core.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * Runs several records' handling as one unit for {@link TopicConsumerLoop} (e.g. one database transaction):
 * either all of it is kept, or, when {@code work} or the final commit throws, none of it, and this throws.
 * The loop then handles the same records again one at a time, each with its own outcome (dead letter, retry),
 * so a batch never loses or dead-letters a record that the batch's failure was not about.
 */
@FunctionalInterface
public interface BatchScope {
    /**
     * Runs {@code work}, which hands each of {@code records} (in order, the very objects) to the loop's handler.
     * The scope may look at the records first, e.g. to read in one query what the handler will need for them all.
     */
    void inOne(List<ConsumerRecord<String, String>> records, Runnable work) throws Exception;
}
