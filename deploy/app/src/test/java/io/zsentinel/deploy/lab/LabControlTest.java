package io.zsentinel.deploy.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabControlTest {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    @TempDir
    Path dir;

    @Test
    void aRequestIsCarriedOutByTheRunningLabAndItsAnswerReturned() throws Exception {
        try (LabLock lock = LabLock.acquire(dir);
             LabControl served = LabControl.serve(dir, words -> "did " + String.join("+", words))) {
            assertEquals("did fault+primary+crash", LabControl.request(dir, List.of("fault", "primary", "crash"), WITHIN));
            assertEquals("did heal+primary", LabControl.request(dir, List.of("heal", "primary"), WITHIN));
            try (var left = Files.list(dir.resolve(LabControl.DIRECTORY))) {
                assertEquals(0, left.count(), "requests and answers are cleaned up");
            }
        }
    }

    @Test
    void aRefusalReachesTheCommandLineWithTheLabsReason() throws Exception {
        try (LabLock lock = LabLock.acquire(dir);
             LabControl served = LabControl.serve(dir, words -> {
                 throw new LabException("standby already has a crash fault; heal it first");
             })) {
            LabException refused = assertThrows(LabException.class,
                    () -> LabControl.request(dir, List.of("fault", "standby", "crash"), WITHIN));
            assertEquals("standby already has a crash fault; heal it first", refused.getMessage());
        }
    }

    @Test
    void withoutARunningLabARequestIsRefusedAtOnce() {
        LabException refused = assertThrows(LabException.class,
                () -> LabControl.request(dir, List.of("heal", "primary"), WITHIN));
        assertTrue(refused.getMessage().startsWith("no lab is running in " + dir.toAbsolutePath().normalize()),
                refused.getMessage());
    }

    @Test
    void aLabThatDoesNotAnswerInTimeIsReportedAndTheRequestWithdrawn() throws Exception {
        try (LabLock lock = LabLock.acquire(dir)) { // a lab that holds its directory but serves no requests
            LabException late = assertThrows(LabException.class,
                    () -> LabControl.request(dir, List.of("heal", "primary"), Duration.ofMillis(300)));
            assertTrue(late.getMessage().contains("did not answer \"heal primary\""), late.getMessage());
            try (var left = Files.list(dir.resolve(LabControl.DIRECTORY))) {
                assertEquals(0, left.count(), "the unanswered request is withdrawn");
            }
        }
    }
}
