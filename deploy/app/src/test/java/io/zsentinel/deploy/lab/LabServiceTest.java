package io.zsentinel.deploy.lab;

import io.zsentinel.deploy.config.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab's service and its promote hook, run as the controller runs it, with a stand-in zfs that knows one mountpoint. */
class LabServiceTest {
    @Test
    void thePromoteHookPointsTheEndpointAtTheNewPrimarysMountpoint(@TempDir Path dir) throws Exception {
        ServiceConfig service = LabService.write(dir, false);
        assertEquals("primary/vm1", service.datasets());
        assertEquals(List.of("standby"), service.standbys());
        assertNull(service.fence(), "no fence hook: the lab's failovers wait for the lease");

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path zfs = bin.resolve("zfs");
        Files.writeString(zfs, "#!/bin/sh\n[ \"$*\" = \"get -H -o value mountpoint standby/vm1\" ] && echo /lab/mnt/standby/vm1\n");
        Files.setPosixFilePermissions(zfs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(Lab.endpointFile(dir, Lab.SERVICE).getParent());
        ProcessBuilder hook = new ProcessBuilder(service.promote().command()).redirectErrorStream(true);
        hook.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        hook.environment().put("ZSENTINEL_DATASETS", "standby/vm1");
        hook.environment().put("ZSENTINEL_NEW_PRIMARY", "standby");
        hook.environment().put("ZSENTINEL_GENERATION", "2");
        Process p = hook.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals("standby /lab/mnt/standby/vm1\n", Files.readString(Lab.endpointFile(dir, Lab.SERVICE)));
        assertEquals("vm1 served by standby at /lab/mnt/standby/vm1 (generation 2)\n", out);
    }

    @Test
    void theFenceHookSucceedsOnlyWhenTheLabConfirmsTheServerIsOff(@TempDir Path dir) throws Exception {
        ServiceConfig service = LabService.write(dir, true);
        assertEquals(List.of(dir.resolve("hooks").resolve("fence-vm1.sh").toAbsolutePath().toString()),
                service.fence().command());
        List<List<String>> asked = Collections.synchronizedList(new ArrayList<>());
        try (LabControl lab = LabControl.serve(dir, words -> {
            asked.add(words);
            if (words.get(1).equals("standby")) {
                throw new LabException("standby's pool is busy");
            }
            return words.get(1) + " is off";
        })) {
            Hook off = fence(service, "primary");
            assertEquals(0, off.status(), off.output());
            assertEquals("primary is off\n", off.output());
            Hook refused = fence(service, "standby");
            assertEquals(1, refused.status(), refused.output());
            assertTrue(refused.output().contains("standby's pool is busy"), refused.output());
        }
        assertEquals(List.of(List.of("fence", "primary"), List.of("fence", "standby")), asked);
        try (var left = Files.list(dir.resolve(LabControl.DIRECTORY))) {
            assertFalse(left.findAny().isPresent(), "the hook leaves no request or answer behind");
        }

        ServiceConfig without = LabService.write(dir, false);
        assertNull(without.fence());
        assertFalse(Files.exists(dir.resolve("hooks").resolve("fence-vm1.sh")), "a lab without --fence has no fence hook");
    }

    private record Hook(int status, String output) {
    }

    private static Hook fence(ServiceConfig service, String server) throws Exception {
        ProcessBuilder hook = new ProcessBuilder(service.fence().command()).redirectErrorStream(true);
        hook.environment().put("ZSENTINEL_SERVER", server);
        Process p = hook.start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Hook(p.waitFor(), out);
    }
}
