package io.zsentinel.deploy.controller;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.micrometer.GlobalMetricRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the controller adds to {@code /metrics} besides the views: the JVM, its Kafka clients and its Axon
 * buses and event processors, all on the one Micrometer registry the endpoint scrapes.
 */
final class ControllerMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<AutoCloseable> bound = new ArrayList<>();

    ControllerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Memory, garbage collection, threads, class loading, CPU and uptime of this JVM. */
    static AutoCloseable jvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    /** Axon's message monitors (commands, events, each processor's throughput, latency and capacity). */
    Configurer axon(Configurer configurer) {
        return new GlobalMetricRegistry(registry).registerWithConfigurerWithDefaultTags(configurer);
    }

    /**
     * Per event processor: whether it runs, whether it is in error mode (retrying a failed event) and,
     * for a streaming processor, the furthest position its segments reached in the event store.
     */
    void processors(Configuration axon) {
        axon.eventProcessingConfiguration().eventProcessors().forEach((name, processor) -> {
            Gauge.builder("zsentinel_axon_processor_running", processor, p -> p.isRunning() ? 1 : 0)
                    .description("1 while the Axon event processor runs, else 0.").tag("processorName", name)
                    .register(registry);
            Gauge.builder("zsentinel_axon_processor_error", processor, p -> p.isError() ? 1 : 0)
                    .description("1 while the Axon event processor is in error mode (retrying a failed event), else 0.")
                    .tag("processorName", name).register(registry);
            if (processor instanceof StreamingEventProcessor streaming) {
                Gauge.builder("zsentinel_axon_processor_position", streaming, ControllerMetrics::position)
                        .description("Furthest event store position the processor's segments handled (NaN: none yet).")
                        .tag("processorName", name).register(registry);
            }
        });
    }

    private static double position(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream().map(EventTrackerStatus::getCurrentPosition)
                .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).max().stream()
                .mapToDouble(p -> p).findFirst().orElse(Double.NaN);
    }

    /** The Kafka clients' own metrics ({@code kafka_consumer_*}, {@code kafka_producer_*}, {@code kafka_admin_*}). */
    void consumer(Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer));
    }

    void producer(Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer));
    }

    void admin(Admin admin) {
        if (admin instanceof AdminClient client) {
            bind(new KafkaClientMetrics(client));
        }
    }

    private void bind(KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        bound.add(metrics);
    }

    /** Stops reading the Kafka clients' metrics; call it before the clients close. */
    @Override
    public void close() {
        for (AutoCloseable metrics : bound) {
            try {
                metrics.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ControllerMetrics.class)
                        .warn("Kafka client metrics did not close cleanly: {}", e.toString());
            }
        }
        bound.clear();
    }
}
