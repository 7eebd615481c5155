package io.zsentinel.deploy.config;

/** Where the Kafka cluster is and which cell's topics to use ({@code cell} prefixes topics and groups). */
public record KafkaConfig(String bootstrap, String cell) {
    public KafkaConfig {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap is required (host:port[,host:port])");
        }
        cell = cell == null ? "" : cell;
        if (!cell.isEmpty() && !cell.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("kafka.cell may hold letters, digits, '.', '_' and '-' only");
        }
    }

    /** The topic and group prefix: empty, or the cell name and a dot. */
    public String prefix() {
        return cell.isEmpty() ? "" : cell + ".";
    }
}
