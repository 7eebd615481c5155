package io.zsentinel.deploy.store;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A tiny event-sourced test aggregate with record messages. */
public class Sensor {

    public record RecordReading(@TargetAggregateIdentifier String sensorId, long value, Instant at) {
    }

    public record ReadingRecorded(String sensorId, long value, Instant at) {
    }

    @AggregateIdentifier
    private String sensorId;
    private long total;

    public Sensor() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordReading command) {
        apply(new ReadingRecorded(command.sensorId(), command.value(), command.at()));
    }

    @EventSourcingHandler
    public void on(ReadingRecorded event) {
        sensorId = event.sensorId();
        total += event.value();
    }

    /** Collects the readings of one test run (the database may hold older runs' events). */
    public static final class Projection {
        final String runPrefix;
        final List<ReadingRecorded> received = new CopyOnWriteArrayList<>();

        Projection(String runPrefix) {
            this.runPrefix = runPrefix;
        }

        @EventHandler
        public void on(ReadingRecorded event) {
            if (event.sensorId().startsWith(runPrefix)) {
                received.add(event);
            }
        }
    }

    /** A handler that fails for one sensor id, to prove the unit of work rolls back. */
    public static final class FailingHandler {
        final String doomedSensorId;

        FailingHandler(String doomedSensorId) {
            this.doomedSensorId = doomedSensorId;
        }

        @EventHandler
        public void on(ReadingRecorded event) {
            if (event.sensorId().equals(doomedSensorId)) {
                throw new IllegalStateException("handler fails for " + doomedSensorId);
            }
        }
    }
}
