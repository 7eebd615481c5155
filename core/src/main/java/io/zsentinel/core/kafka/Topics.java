package io.zsentinel.core.kafka;

import io.zsentinel.core.retry.Polling;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * zsentinel's topic (and consumer-group) names for one cell. Several cells may share one Kafka
 * cluster (DESIGN "Growing past one machine"), so every name starts with the cell prefix,
 * used verbatim: prefix "cell-a." gives "cell-a.zsentinel.agent-events"; the default is "".
 */
public final class Topics {

    private static final Logger log = LoggerFactory.getLogger(Topics.class);
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");
    private static final long LEADER_POLL_MILLIS = 50;

    private final String prefix;

    public Topics(String cellPrefix) {
        if (cellPrefix == null || !LEGAL.matcher(cellPrefix).matches()) {
            throw new IllegalArgumentException("cell prefix may only contain [a-zA-Z0-9._-]: " + cellPrefix);
        }
        this.prefix = cellPrefix;
    }

    public static Topics defaults() {
        return new Topics("");
    }

    public String prefix() {
        return prefix;
    }

    public String agentEvents() {
        return prefix + "zsentinel.agent-events";
    }

    public String agentCommands() {
        return prefix + "zsentinel.agent-commands";
    }

    public String domainEvents() {
        return prefix + "zsentinel.domain-events";
    }

    public String deadLetter() {
        return prefix + "zsentinel.dead-letter";
    }

    public List<String> all() {
        return List.of(agentEvents(), agentCommands(), domainEvents(), deadLetter());
    }

    /** A consumer group id of this cell, e.g. groupId("controller") = prefix + "zsentinel.controller". */
    public String groupId(String role) {
        return prefix + "zsentinel." + role;
    }

    /** Creates every topic of this cell; topics that already exist are left as they are. */
    public void createAll(Admin admin, int partitions, short replicationFactor) {
        create(admin, all(), partitions, replicationFactor);
    }

    /** Lab default: 3 partitions, replication factor 1. */
    public void createAll(Admin admin) {
        createAll(admin, 3, (short) 1);
    }

    /**
     * Creates the named topics idempotently (TopicExistsException is ignored, per topic) and returns
     * once every partition has a leader, so callers can produce right away. A first produce may still
     * meet NOT_LEADER_OR_FOLLOWER for a moment (the broker opens the partition after publishing the
     * leader); the producer retries it safely only because KafkaSettings limits in-flight requests to 1
     * (KAFKA-15591).
     */
    public static void create(Admin admin, List<String> names, int partitions, short replicationFactor) {
        List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, partitions, replicationFactor)).toList();
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin.createTopics(topics).values();
        results.forEach((name, future) -> {
            try {
                future.get(30, TimeUnit.SECONDS);
                log.info("Created topic {} ({} partitions, rf {})", name, partitions, replicationFactor);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name, e.getCause());
                }
                log.debug("Topic {} already exists", name);
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + name + " timed out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
        });
        awaitLeaders(admin, names, Duration.ofSeconds(30));
    }

    /**
     * Asks for the topics' partition leaders every {@value #LEADER_POLL_MILLIS} ms until all have one; a topic not
     * visible yet (UnknownTopicOrPartition right after creation) counts as not ready. Fails after {@code timeout}.
     */
    private static void awaitLeaders(Admin admin, List<String> names, Duration timeout) {
        if (!Polling.until("topic-leaders", Duration.ofMillis(LEADER_POLL_MILLIS), timeout,
                () -> leadersElected(admin, names))) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while waiting for leaders of " + names);
            }
            throw new IllegalStateException("topics " + names + " have no leader after " + timeout);
        }
    }

    private static boolean leadersElected(Admin admin, List<String> names) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            return described.values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for leaders of " + names, e);
        }
    }
}
