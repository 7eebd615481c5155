package io.zsentinel.core.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How {@link TopicConsumerLoop} shares a polled batch among its lanes: every record of one key goes to the
 * same lane, in offset order (one key is on one partition), so one server's facts stay in order while other
 * servers' are handled beside them. Records without a key go to lane 0.
 */
final class KeyLanes {

    private KeyLanes() {
    }

    /** The lane of a record key among {@code lanes}; the same key always gets the same lane. */
    static int laneOf(byte[] key, int lanes) {
        if (key == null || lanes == 1) {
            return 0;
        }
        int h = Arrays.hashCode(key);
        return Math.floorMod(h ^ (h >>> 16), lanes);
    }

    /** The batch's records per lane, each lane in partition-then-offset order; lanes without records are left out. */
    static List<List<ConsumerRecord<byte[], byte[]>>> split(ConsumerRecords<byte[], byte[]> batch, int lanes) {
        List<List<ConsumerRecord<byte[], byte[]>>> byLane = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) {
            byLane.add(new ArrayList<>());
        }
        for (TopicPartition tp : batch.partitions()) {
            for (ConsumerRecord<byte[], byte[]> r : batch.records(tp)) {
                byLane.get(laneOf(r.key(), lanes)).add(r);
            }
        }
        byLane.removeIf(List::isEmpty);
        return byLane;
    }

    /**
     * Where each partition of the batch resumes: its first record not in {@code handled} (compared by identity),
     * or past its last record when all were handled. Records after the first unhandled one may have been handled
     * by other lanes; they are delivered again, which idempotent handlers tolerate.
     */
    static Map<TopicPartition, Long> resumeAt(ConsumerRecords<byte[], byte[]> batch,
                                              Set<ConsumerRecord<byte[], byte[]>> handled) {
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        for (TopicPartition tp : batch.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = batch.records(tp);
            long offset = records.get(records.size() - 1).offset() + 1;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (!handled.contains(r)) {
                    offset = r.offset();
                    break;
                }
            }
            next.put(tp, offset);
        }
        return next;
    }

    /** True when every record of the batch is in {@code handled}. */
    static boolean all(ConsumerRecords<byte[], byte[]> batch, Set<ConsumerRecord<byte[], byte[]>> handled) {
        return handled.size() == batch.count();
    }
}
