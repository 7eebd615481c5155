package io.zsentinel.deploy.embedded;

import io.zsentinel.deploy.store.AxonStore;
import io.zsentinel.deploy.store.Sensor.ReadingRecorded;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedPostgresStoreIT {

    @TempDir
    Path lab;

    @Test
    void restartOnTheSameDataDirectoryKeepsTheEvents() throws Exception {
        Path data = lab.resolve("pgdata");
        ReadingRecorded event = new ReadingRecorded("sensor-1", 42, Instant.parse("2026-03-04T05:06:07Z"));

        long t0 = System.nanoTime();
        try (EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(data)) {
            System.out.printf("first start (unpack + initdb) %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            AxonStore store = AxonStore.create(postgres.dataSource());
            store.storageEngine().appendEvents(new GenericDomainEventMessage<>("Sensor", "sensor-1", 0, event));
        }
        assertTrue(Files.exists(data.resolve("PG_VERSION")));

        t0 = System.nanoTime();
        try (EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start(data)) {
            System.out.printf("restart on existing data %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            AxonStore store = AxonStore.create(postgres.dataSource()); // schema exists: must not fail
            List<Object> read = store.storageEngine().readEvents("sensor-1").asStream()
                    .map(Message::getPayload).collect(Collectors.toList());
            assertEquals(List.of(event), read);
        }
        // Binaries were unpacked next to the data (or where the test run keeps them for all its classes), not into
        // /tmp/embedded-pg.
        String shared = System.getProperty(EmbeddedPostgresStore.WORK_DIRECTORY_PROPERTY);
        try (Stream<Path> work = Files.list(shared != null ? Path.of(shared) : lab.resolve("embedded-pg"))) {
            assertTrue(work.anyMatch(p -> p.getFileName().toString().startsWith("PG-")));
        }
    }

    @Test
    void refusesAWorkDirectoryThatContainsTheData() {
        // zonky deletes unlocked data directories it finds in its work directory.
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddedPostgresStore.start(lab.resolve("work/pgdata"), 0, lab.resolve("work")));
    }
}
