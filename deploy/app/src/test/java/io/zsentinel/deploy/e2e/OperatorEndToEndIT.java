package io.zsentinel.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.messages.Json;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.deploy.config.RetentionConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static io.zsentinel.deploy.e2e.Stack.encoded;
import static io.zsentinel.deploy.e2e.Stack.run;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator commands through REST → Dataset aggregate → Kafka → agent → zfs-fuse: rollback refused
 * while newer snapshots exist and accepted with destroyNewer; a file deleted live restored from a
 * snapshot byte for byte without touching the live data; a checkpoint taken, held and audited.
 */
class OperatorEndToEndIT {
    private static final ObjectMapper JSON = Json.newMapper();

    @TempDir
    static Path dir;
    static Stack stack;
    static Path mnt;
    static Path restoreDir;

    @BeforeAll
    static void start() throws Exception {
        restoreDir = dir.resolve("restored");
        stack = new Stack(dir, "zto", 128L * 1024 * 1024, RetentionConfig.none(),
                c -> new AgentConfig(c.server(), c.kafka(), c.pools(), 1, 1, null, null, restoreDir.toString()));
        mnt = Path.of(run("zfs", "get", "-H", "-o", "value", "mountpoint", stack.vm1.value()).strip());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                stack.get("/api/datasets/" + encoded(stack.vm1.value()) + "/snapshots").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void rollbackIsRefusedWhileNewerSnapshotsExistAndDoneWithTheFlag() throws Exception {
        byte[] before = random(150_000, 1);
        Files.write(mnt.resolve("app.conf"), before);
        run("zfs", "snapshot", stack.vm1 + "@rb-before");
        Files.write(mnt.resolve("app.conf"), random(150_000, 2));
        Files.write(mnt.resolve("new-file"), random(1000, 3));
        run("zfs", "snapshot", stack.vm1 + "@rb-after");
        awaitSnapshotsKnown("rb-before", "rb-after");

        HttpResponse<String> refused = stack.post(datasetPath() + "/rollback",
                "{\"snapshot\":\"rb-before\",\"operator\":\"alice@ops\",\"reason\":\"bad upgrade\"}");
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("rb-after") && refused.body().contains("destroy"), refused.body());
        assertTrue(zfsSnapshots().contains(stack.vm1 + "@rb-after"), "nothing destroyed by a refused rollback");

        HttpResponse<String> accepted = stack.post(datasetPath() + "/rollback",
                "{\"snapshot\":\"rb-before\",\"destroyNewer\":true,\"operator\":\"alice@ops\",\"reason\":\"bad upgrade\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        awaitOperation(JSON.readTree(accepted.body()).path("commandId").asText(), "succeeded");
        assertFalse(zfsSnapshots().contains(stack.vm1 + "@rb-after"), "the newer snapshot was destroyed");
        assertArrayEquals(before, Files.readAllBytes(mnt.resolve("app.conf")), "data is the snapshot's again");
        assertFalse(Files.exists(mnt.resolve("new-file")));
    }

    @Test
    void aFileDeletedLiveIsRestoredFromTheSnapshotByteForByte() throws Exception {
        byte[] content = random(300_000, 4);
        Files.createDirectories(mnt.resolve("etc"));
        Files.write(mnt.resolve("etc/settings.db"), content);
        run("zfs", "snapshot", stack.vm1 + "@rs-1");
        Files.delete(mnt.resolve("etc/settings.db"));
        awaitSnapshotsKnown("rs-1");

        HttpResponse<String> escape = stack.post(datasetPath() + "/restore",
                "{\"snapshot\":\"rs-1\",\"path\":\"../../etc/passwd\",\"operator\":\"bob\",\"reason\":\"oops\"}");
        assertEquals(400, escape.statusCode(), escape.body());

        HttpResponse<String> ordered = stack.post(datasetPath() + "/restore",
                "{\"snapshot\":\"rs-1\",\"path\":\"etc/settings.db\",\"operator\":\"bob\",\"reason\":\"deleted by mistake\"}");
        assertEquals(202, ordered.statusCode(), ordered.body());
        awaitOperation(JSON.readTree(ordered.body()).path("commandId").asText(), "succeeded");
        Path restored = restoreDir.resolve(stack.vm1.value().replace('/', '_')).resolve("rs-1").resolve("etc/settings.db");
        assertArrayEquals(content, Files.readAllBytes(restored));
        assertFalse(Files.exists(mnt.resolve("etc/settings.db")), "the live data was not touched");
    }

    @Test
    void aCheckpointIsTakenHeldAndAudited() throws Exception {
        HttpResponse<String> ordered = stack.post(datasetPath() + "/checkpoint",
                "{\"operator\":\"carol@ops\",\"reason\":\"kernel update\"}");
        assertEquals(202, ordered.statusCode(), ordered.body());
        String commandId = JSON.readTree(ordered.body()).path("commandId").asText();
        awaitOperation(commandId, "succeeded");
        String checkpoint = await().atMost(Duration.ofSeconds(120)).until(() -> zfsSnapshots().lines()
                .filter(l -> l.contains("@zsentinel_checkpoint_")).findFirst().orElse(null), java.util.Objects::nonNull);
        // Held in ZFS too: userrefs 1 (zfs-fuse supports holds), so not even `zfs destroy` removes it.
        await().atMost(Duration.ofSeconds(120)).until(() ->
                run("zfs", "get", "-H", "-o", "value", "userrefs", checkpoint).strip().equals("1"));
        JsonNode audit = JSON.readTree(stack.get("/api/audit").body());
        assertTrue(audit.toString().contains("carol@ops") && audit.toString().contains("kernel update"), audit.toString());
    }

    private String datasetPath() {
        return "/api/datasets/" + encoded(stack.vm1.value());
    }

    private void awaitSnapshotsKnown(String... shortNames) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> r = stack.get(datasetPath() + "/snapshots");
            if (r.statusCode() != 200) {
                return false;
            }
            for (String n : shortNames) {
                if (!r.body().contains("@" + n + "\"")) {
                    return false;
                }
            }
            return true;
        });
    }

    private void awaitOperation(String commandId, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            HttpResponse<String> r = stack.get("/api/operations/" + commandId);
            if (r.statusCode() != 200) {
                return false;
            }
            String s = JSON.readTree(r.body()).path("status").asText();
            assertFalse(!s.equals(status) && s.equals("failed"), r.body());
            return s.equals(status);
        });
    }

    private String zfsSnapshots() throws Exception {
        return run("zfs", "list", "-H", "-o", "name", "-t", "snapshot", "-r", stack.vm1.value());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
