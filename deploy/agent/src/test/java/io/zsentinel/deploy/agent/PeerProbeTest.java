package io.zsentinel.deploy.agent;

import io.zsentinel.core.ManualClock;
import io.zsentinel.core.config.ConfigException;
import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.core.messages.facts.PeerProbe;
import io.zsentinel.core.values.ServerId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real TCP probe of a peer's probe port (an ephemeral one), and the peers of agent.yaml. */
class PeerProbeTest {
    private static final ServerId STANDBY = new ServerId("standby");
    private static final ServerId PRIMARY = new ServerId("primary");
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T08:00:00Z"));

    @Test
    void aPeerIsReachableWhileItsProbePortListensAndUnreachableOnceItIsGone() {
        ProbeListener primary = ProbeListener.open(0, "test-probe-port");
        int port = primary.port();
        PeerProbes probes = new PeerProbes(STANDBY, Map.of(PRIMARY, InetSocketAddress.createUnresolved("127.0.0.1", port)),
                Duration.ofSeconds(1), clock);
        try {
            assertEquals(List.of(), probes.latest(), "nothing probed yet: nothing to report");
            probes.probeAll();
            assertEquals(List.of(new PeerProbe(PRIMARY, true, clock.instant())), probes.latest());
            probes.probeAll();
            assertEquals(List.of(new PeerProbe(PRIMARY, true, clock.instant())), probes.latest(),
                    "the listener keeps accepting");
        } finally {
            primary.close();
        }
        clock.advance(Duration.ofSeconds(2));
        probes.probeAll();
        assertEquals(List.of(new PeerProbe(PRIMARY, false, clock.instant())), probes.latest());
    }

    @Test
    void aPeerWhoseKernelAcceptsButWhichDoesNotAnswerIsUnreachableAndAnSshBannerAnswers() throws Exception {
        // a paused agent: its socket listens (the kernel queues connections) but nothing accepts or answers
        try (java.net.ServerSocket paused = new java.net.ServerSocket(0, 50);
             java.net.ServerSocket ssh = new java.net.ServerSocket(0)) {
            Thread banner = new Thread(() -> {
                try (java.net.Socket s = ssh.accept()) {
                    s.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (java.io.IOException ignored) {
                    // the test ends
                }
            });
            banner.start();
            PeerProbes probes = new PeerProbes(STANDBY, Map.of(
                    PRIMARY, InetSocketAddress.createUnresolved("127.0.0.1", paused.getLocalPort()),
                    new ServerId("offsite"), InetSocketAddress.createUnresolved("127.0.0.1", ssh.getLocalPort())),
                    Duration.ofMillis(500), clock);
            probes.probeAll();
            assertEquals(List.of(new PeerProbe(new ServerId("offsite"), true, clock.instant()),
                    new PeerProbe(PRIMARY, false, clock.instant())), probes.latest());
            banner.join(5_000);
        }
    }

    @Test
    void aProbePortInUseIsRefusedNamingTheSetting() {
        try (ProbeListener first = ProbeListener.open(0, "test-probe-port")) {
            var e = assertThrows(java.io.UncheckedIOException.class, () -> ProbeListener.open(first.port(), "second"));
            assertTrue(e.getMessage().contains("set another probePort"), e.getMessage());
        }
    }

    @Test
    void peersAreReadFromAgentYamlAndShareTheProbePortUnlessTheyNameTheirOwn() {
        AgentConfig config = ConfigFiles.parse("""
                server: standby
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools: [ standby ]
                probePort: 7380
                peers:
                  primary: { host: 10.0.0.5 }
                  offsite: { host: offsite.example, port: 7390 }
                """, "agent.yaml", AgentConfig.class);
        assertEquals(7380, config.probePort());
        assertEquals(Map.of(PRIMARY, InetSocketAddress.createUnresolved("10.0.0.5", 7380),
                new ServerId("offsite"), InetSocketAddress.createUnresolved("offsite.example", 7390)), config.peerAddresses());
    }

    @Test
    void anSshTransferTargetIsProbedAtItsSshPortUnlessItIsAPeer() {
        AgentConfig config = ConfigFiles.parse("""
                server: primary
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools: [ primary ]
                targets:
                  standby: { transport: local }
                  offsite: { transport: ssh, host: 10.1.0.7, port: 2222 }
                  backup: { transport: ssh, host: 10.1.0.9 }
                peers: { backup: { host: 10.1.0.9, port: 7380 } }
                """, "agent.yaml", AgentConfig.class);
        assertEquals(Map.of(new ServerId("offsite"), InetSocketAddress.createUnresolved("10.1.0.7", 2222),
                new ServerId("backup"), InetSocketAddress.createUnresolved("10.1.0.9", 7380)), config.peerAddresses());
    }

    @Test
    void aPeerWithoutAPortNeedsTheProbePortAndAServerIsNoPeerOfItself() {
        ConfigException noPort = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                server: standby
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools: [ standby ]
                peers: { primary: { host: 10.0.0.5 } }
                """, "agent.yaml", AgentConfig.class));
        assertTrue(noPort.getMessage().contains("give the peer's port"), noPort.getMessage());
        ConfigException self = assertThrows(ConfigException.class, () -> ConfigFiles.parse("""
                server: standby
                kafka: { bootstrap: "127.0.0.1:9092" }
                pools: [ standby ]
                probePort: 7380
                peers: { standby: { host: 10.0.0.5 } }
                """, "agent.yaml", AgentConfig.class));
        assertTrue(self.getMessage().contains("is this server itself"), self.getMessage());
    }
}
