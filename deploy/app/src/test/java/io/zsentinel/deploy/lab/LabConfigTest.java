package io.zsentinel.deploy.lab;

import io.zsentinel.deploy.config.LinkRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab.yaml a first lab writes, and the README's account of it, say the same. */
class LabConfigTest {
    /** How the README words a schedule; a schedule not listed here must be added along with its wording. */
    private static final Map<Duration, String> WORDS = Map.of(Duration.ofSeconds(10), "every 10 s",
            Duration.ofMinutes(1), "every minute", Duration.ofMinutes(5), "every 5 minutes");
    private static final Map<String, Duration> FREQUENTLY = Map.of("1m", Duration.ofMinutes(1));

    @Test
    void theReadmeDescribesTheSchedulesOfTheLabYamlAFirstLabWrites(@TempDir Path lab) throws Exception {
        LabConfig config = LabConfig.load(lab);
        assertEquals(LabConfig.DEFAULT, Files.readString(lab.resolve("lab.yaml")));
        String readme = Files.readString(Path.of("../..", "README.md")).replaceAll("\\s+", " ");
        int start = readme.indexOf("- a demo retention schedule and replication links in `.lab/lab.yaml`");
        assertTrue(start >= 0, "the README's lab section describes .lab/lab.yaml");
        String described = readme.substring(start, readme.indexOf("restart the lab to change it", start));

        assertEquals(1, config.retention().policies().size());
        assertTrue(described.contains("snapshotted " + WORDS.get(FREQUENTLY.get(config.retention().policies().get(0).frequentlyEvery()))),
                described);
        assertEquals(2, config.replication().links().size());
        for (LinkRule link : config.replication().links()) {
            String phrase = "`" + link.targetServer() + "/vm1` " + WORDS.get(link.interval());
            assertTrue(described.contains(phrase), "README says \"" + phrase + "\": " + described);
        }
    }

    @Test
    void eachLabAgentListensForProbesAtAFreePortAndProbesTheOtherServers(@TempDir Path lab) throws Exception {
        Map<String, io.zsentinel.deploy.agent.PeerAddress> probes = Lab.probeAddresses(null);
        assertEquals(Lab.SERVERS, java.util.List.copyOf(probes.keySet()));
        assertEquals(3, probes.values().stream().map(io.zsentinel.deploy.agent.PeerAddress::port).distinct().count(),
                "one port each: without a lab network the agents share this machine's addresses");
        io.zsentinel.deploy.agent.AgentConfig standby = io.zsentinel.core.config.ConfigFiles.read(
                Lab.writeAgentConfig(lab, "standby", "127.0.0.1:9092", probes), io.zsentinel.deploy.agent.AgentConfig.class);
        assertEquals(probes.get("standby").port(), standby.probePort());
        assertEquals(Map.of(io.zsentinel.core.values.ServerId.of("primary"),
                        java.net.InetSocketAddress.createUnresolved("127.0.0.1", probes.get("primary").port()),
                        io.zsentinel.core.values.ServerId.of("offsite"),
                        java.net.InetSocketAddress.createUnresolved("127.0.0.1", probes.get("offsite").port())),
                standby.peerAddresses());
    }
}
