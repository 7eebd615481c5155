package io.zsentinel.core.config;

import io.zsentinel.core.kafka.TopicConsumerLoop;

/**
 * Where the Kafka cluster is and which cell's topics to use ({@code cell} prefixes topics and groups);
 * {@code maxAttempts}: how often a record that keeps failing (the store and broker being reachable) is
 * tried before it goes to the dead-letter topic.
 */
public record KafkaConfig(String bootstrap, String cell, Integer maxAttempts) {
    public KafkaConfig(String bootstrap, String cell) {
        this(bootstrap, cell, null);
    }

    public KafkaConfig {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap is required (host:port[,host:port])");
        }
        cell = cell == null ? "" : cell;
        if (!cell.isEmpty() && !cell.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("kafka.cell may hold letters, digits, '.', '_' and '-' only");
        }
        maxAttempts = maxAttempts == null ? TopicConsumerLoop.DEFAULT_MAX_ATTEMPTS : maxAttempts;
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("kafka.maxAttempts must be at least 1, not " + maxAttempts);
        }
    }

    /** The topic and group prefix: empty, or the cell name and a dot. */
    public String prefix() {
        return cell.isEmpty() ? "" : cell + ".";
    }
}
