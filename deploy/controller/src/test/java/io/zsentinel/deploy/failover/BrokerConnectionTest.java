package io.zsentinel.deploy.failover;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A consumer's connections as its metrics count them (the consumer's own group, not its coordinator's or fetcher's). */
class BrokerConnectionTest {
    private static Map.Entry<MetricName, Metric> metric(String name, String group, Object value) {
        MetricName id = new MetricName(name, group, "", Map.of("client-id", "controller-liveness"));
        return Map.entry(id, new Metric() {
            @Override
            public MetricName metricName() {
                return id;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    @Test
    void theConsumersConnectionCountIsWhatCounts() {
        assertEquals(2.0, BrokerConnection.connections(Map.ofEntries(metric("connection-count", "consumer-metrics", 2.0),
                metric("connection-count", "consumer-node-metrics", 0.0))));
        assertEquals(0.0, BrokerConnection.connections(Map.ofEntries(metric("connection-count", "consumer-metrics", 0.0))));
        assertEquals(-1.0, BrokerConnection.connections(Map.ofEntries(metric("records-lag", "consumer-metrics", 3.0))),
                "no such metric: nothing says it is cut off");
    }
}
