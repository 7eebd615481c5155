package io.zsentinel.core.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-style: for many random fleets (servers shuffled, their facts interleaved at random across partitions,
 * never reordered within a server), every server's facts land on one lane, in their order, and a batch resumes
 * at each partition's first unhandled record.
 */
class KeyLanesTest {
    private static final String TOPIC = "zsentinel.agent-events";

    /** A random batch: each server's facts numbered 0.. in order, servers interleaved at random. */
    private static ConsumerRecords<byte[], byte[]> randomBatch(Random random, int servers, int partitions) {
        List<String> keys = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            keys.add("server-" + s);
        }
        Collections.shuffle(keys, random);
        Map<String, Integer> remaining = new LinkedHashMap<>();
        keys.forEach(k -> remaining.put(k, 1 + random.nextInt(20)));
        Map<String, Integer> sent = new HashMap<>();
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        while (!remaining.isEmpty()) {
            List<String> open = new ArrayList<>(remaining.keySet());
            String key = open.get(random.nextInt(open.size()));
            int seq = sent.merge(key, 1, Integer::sum) - 1;
            if (remaining.merge(key, -1, Integer::sum) == 0) {
                remaining.remove(key);
            }
            TopicPartition tp = new TopicPartition(TOPIC, Math.floorMod(key.hashCode(), partitions));
            List<ConsumerRecord<byte[], byte[]>> records = byPartition.computeIfAbsent(tp, p -> new ArrayList<>());
            records.add(new ConsumerRecord<>(TOPIC, tp.partition(), 1000L + records.size(), bytes(key),
                    bytes(Integer.toString(seq))));
        }
        return new ConsumerRecords<>(byPartition);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void everyServersFactsGoToOneLaneInTheirOrderWhateverTheInterleaving() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int lanes = 1 + random.nextInt(8);
            ConsumerRecords<byte[], byte[]> batch = randomBatch(random, 1 + random.nextInt(40), 1 + random.nextInt(4));
            List<List<ConsumerRecord<byte[], byte[]>>> split = KeyLanes.split(batch, lanes);

            assertTrue(split.size() <= lanes, "at most one list per lane");
            assertEquals(batch.count(), split.stream().mapToInt(List::size).sum(), "every record on exactly one lane");
            Map<String, Integer> laneOfKey = new HashMap<>();
            for (int lane = 0; lane < split.size(); lane++) {
                Map<String, Integer> expectedNext = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : split.get(lane)) {
                    String key = text(r.key());
                    Integer before = laneOfKey.putIfAbsent(key, lane);
                    assertEquals(before == null ? lane : before, lane, key + " split over two lanes (round " + round + ")");
                    int seq = Integer.parseInt(text(r.value()));
                    assertEquals(expectedNext.getOrDefault(key, 0), seq, key + " out of order (round " + round + ")");
                    expectedNext.put(key, seq + 1);
                }
            }
        }
    }

    @Test
    void keysAreSpreadOverTheLanes() {
        int lanes = 4;
        int[] perLane = new int[lanes];
        for (int s = 0; s < 100; s++) {
            perLane[KeyLanes.laneOf(bytes("server-" + s), lanes)]++;
        }
        for (int count : perLane) {
            assertTrue(count >= 10, "100 servers on 4 lanes: " + java.util.Arrays.toString(perLane));
        }
        assertEquals(0, KeyLanes.laneOf(null, lanes), "records without a key share lane 0");
    }

    @Test
    void eachPartitionResumesAtItsFirstUnhandledRecord() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            ConsumerRecords<byte[], byte[]> batch = randomBatch(random, 1 + random.nextInt(20), 1 + random.nextInt(3));
            Set<ConsumerRecord<byte[], byte[]>> handled = Collections.newSetFromMap(new IdentityHashMap<>());
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                if (random.nextInt(4) > 0) {
                    handled.add(r);
                }
            }
            Map<TopicPartition, Long> next = KeyLanes.resumeAt(batch, handled);
            assertEquals(batch.partitions(), next.keySet());
            for (TopicPartition tp : batch.partitions()) {
                List<ConsumerRecord<byte[], byte[]>> records = batch.records(tp);
                long resume = next.get(tp);
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.offset() < resume) {
                        assertTrue(handled.contains(r), "a record before the resume point must have been handled");
                    }
                }
                long last = records.get(records.size() - 1).offset();
                assertTrue(resume == last + 1 || !handled.contains(records.get((int) (resume - records.get(0).offset()))),
                        "resumes at an unhandled record or past the end");
            }
            assertEquals(handled.size() == batch.count(), KeyLanes.all(batch, handled));
        }
    }
}
