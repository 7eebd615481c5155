package io.zsentinel.deploy.lab;

import io.zsentinel.deploy.config.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The lab's service and its promote hook, run as the controller runs it, with a stand-in zfs that knows one mountpoint. */
class LabServiceTest {
    @Test
    void thePromoteHookPointsTheEndpointAtTheNewPrimarysMountpoint(@TempDir Path dir) throws Exception {
        ServiceConfig service = LabService.write(dir);
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
}
