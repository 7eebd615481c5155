package io.zsentinel.deploy.lab;

import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's servers as hosts of their own (network namespaces on a bridge): a process inside a server's namespace
 * reaches the machine's bridge address, a partition cuts exactly that server off, heal connects it again, and
 * closing the network leaves no namespace or interface behind.
 */
@ResourceLock("lab") // the lab's pool names and network: one lab class at a time
class LabNetworkIT {
    private static final ProcessCommandRunner RUNNER = new ProcessCommandRunner();

    @Test
    void aPartitionCutsOneServerOffAndHealConnectsItAgain() throws Exception {
        assumeTrue(LabNetwork.available(RUNNER), "network namespaces need root and iproute2");
        String name = "zt" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
        try (LabNetwork network = LabNetwork.create(RUNNER, name, 250, List.of("a", "b"));
             ServerSocket listening = new ServerSocket(0, 50, InetAddress.getByName(network.hostAddress()))) {
            Thread acceptor = new Thread(() -> {
                while (!listening.isClosed()) {
                    try (Socket ignored = listening.accept()) {
                        // a connection is all a probe needs
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "lab-network-it-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            int port = listening.getLocalPort();

            assertTrue(reaches(network, "a", port), "a server reaches the bridge");
            assertTrue(reaches(network, "b", port));

            network.partition("a");
            assertFalse(reaches(network, "a", port), "a partitioned server reaches nothing");
            assertTrue(reaches(network, "b", port), "the other server is untouched");

            network.heal("a");
            // the bridge takes its port back within moments (carrier, neighbour entries), not at once
            await("healed, a reaches the bridge again").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> reaches(network, "a", port));
        }
        String left = RUNNER.run(List.of("ip", "netns", "list"), Duration.ofSeconds(30)).stdout()
                + RUNNER.run(List.of("ip", "link"), Duration.ofSeconds(30)).stdout();
        assertFalse(left.contains(name), "nothing of the network is left: " + left);
    }

    @Test
    void aServersProcessesShareTheMachinesMountsNotACopyOfThem() throws Exception {
        assumeTrue(LabNetwork.available(RUNNER), "network namespaces need root and iproute2");
        String name = "zt" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
        try (LabNetwork network = LabNetwork.create(RUNNER, name, 251, List.of("a"))) {
            List<String> argv = new ArrayList<>(network.inside("a"));
            argv.addAll(List.of("readlink", "/proc/self/ns/mnt", "/proc/self/ns/net"));
            CommandResult inside = RUNNER.run(argv, Duration.ofSeconds(60));
            assertTrue(inside.succeeded(), inside.errorText());
            String[] ns = inside.stdout().strip().split("\n");
            assertEquals(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/mnt")).toString(),
                    ns[0], "the machine's mount namespace: a zfs-fuse mount made later is seen, none is copied");
            assertFalse(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/net")).toString()
                    .equals(ns[1]), "a network namespace of its own");
        }
    }

    /** A probe process inside the server's namespace: does a TCP connection to the bridge address succeed? */
    private static boolean reaches(LabNetwork network, String server, int port) {
        List<String> argv = new ArrayList<>(network.inside(server));
        argv.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName(), network.hostAddress(),
                Integer.toString(port)));
        CommandResult result = RUNNER.run(argv, Duration.ofSeconds(120));
        assertTrue(result.exitCode() == 0 || result.exitCode() == 1, "probe: " + result.errorText());
        return result.exitCode() == 0;
    }

    /** Exits 0 when it connects to HOST PORT within 2 s, else 1. */
    public static final class Probe {
        public static void main(String[] args) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 2000);
                System.exit(0);
            } catch (IOException e) {
                System.exit(1);
            }
        }
    }

    @Test
    void aNameThatCannotBeAnInterfacePrefixIsRefused() {
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LabNetwork.create(RUNNER, "lab;rm -rf", 1, List.of("a")));
        assertEquals("lab network name [a-z0-9]{1,8} and subnet 0..255, not lab;rm -rf, 1", refused.getMessage());
    }
}
