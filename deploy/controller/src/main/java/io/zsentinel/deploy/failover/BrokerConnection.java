package io.zsentinel.deploy.failover;

import io.zsentinel.core.kafka.TopicConsumerLoop;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Whether a Kafka consumer is connected to the broker now, from its own {@code connection-count} metric (its
 * fetch and group coordinator connections): a consumer cut off polls empty, without an error, so its connections
 * are what tells. Reads only {@code metrics()}, which is safe from another thread (Micrometer does the same).
 */
public final class BrokerConnection {
    private BrokerConnection() {
    }

    /** True while {@code loop}'s consumer holds a connection; also while it has no such metric (nothing says otherwise). */
    public static BooleanSupplier of(TopicConsumerLoop loop) {
        AtomicReference<Consumer<?, ?>> consumer = new AtomicReference<>();
        loop.observeClient(consumer::set);
        return () -> connections(consumer.get().metrics()) != 0;
    }

    static double connections(Map<MetricName, ? extends Metric> metrics) {
        for (Map.Entry<MetricName, ? extends Metric> m : metrics.entrySet()) {
            if (m.getKey().name().equals("connection-count") && m.getKey().group().equals("consumer-metrics")
                    && m.getValue().metricValue() instanceof Number n) {
                return n.doubleValue();
            }
        }
        return -1;
    }
}
