package io.zsentinel.deploy.transfer;

import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.core.config.ConfigException;
import io.zsentinel.core.config.ConfigFiles;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The targets and transfers sections of agent.yaml, and the argv each transport runs. */
class TransferConfigTest {
    private static final String YAML = """
            server: primary
            kafka: { bootstrap: "127.0.0.1:9092" }
            pools: [ primary ]
            targets:
              standby: { transport: local }
              offsite: { transport: ssh, host: 10.1.0.7, user: zsentinel, port: 2222, identityFile: /etc/zs/id, mbuffer: true }
            transfers: { progressSeconds: 4, bufferKib: 512 }
            """;

    @Test
    void theStallTimeoutAndTheBreakerAreTheLinksAndRefusedInAgentYamlWithWhereTheyWent() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.parse(
                YAML.replace("bufferKib: 512", "stallSeconds: 300, breakerFailures: 4"), "agent.yaml", AgentConfig.class));
        assertTrue(e.getMessage().contains("breakerFailures, stallSeconds: no longer set on the agent"), e.getMessage());
        assertTrue(e.getMessage().contains("come from the controller with every transfer"), e.getMessage());
        assertTrue(e.getMessage().contains("remove them from transfers:"), e.getMessage());
    }

    @Test
    void targetsAreReadPerServerAndUnlistedServersAreLocal() {
        AgentConfig config = ConfigFiles.parse(YAML, "agent.yaml", AgentConfig.class);
        TransferTarget offsite = config.transferTargets().get(new ServerId("offsite"));
        assertEquals(TransferTarget.Transport.SSH, offsite.transport());
        assertEquals(2222, offsite.port());
        assertTrue(offsite.mbuffer());
        assertEquals(TransferTarget.Transport.LOCAL, config.transferTargets().get(new ServerId("standby")).transport());
        assertEquals(Duration.ofSeconds(4), config.transfers().progressInterval());
        assertEquals(512 * 1024, config.transfers().bufferBytes());
        assertEquals(TransferSettings.Pipe.AUTO, config.transfers().pipeMode());
        assertEquals(TransferSettings.Pipe.NEVER, ConfigFiles.parse(YAML.replace("bufferKib: 512", "pipe: never"),
                "agent.yaml", AgentConfig.class).transfers().pipeMode());
        assertThrows(ConfigException.class, () -> ConfigFiles.parse(YAML.replace("bufferKib: 512", "pipe: sometimes"),
                "agent.yaml", AgentConfig.class));
        AgentConfig minimal = ConfigFiles.parse("server: a\nkafka: { bootstrap: \"x:1\" }\npools: [ a ]\n", "a.yaml",
                AgentConfig.class);
        assertTrue(minimal.transferTargets().isEmpty());
        assertThrows(ConfigException.class, () -> ConfigFiles.parse(YAML.replace("host: 10.1.0.7, ", ""), "agent.yaml",
                AgentConfig.class));
    }

    @Test
    void sshQuotesEveryRemoteWordAndLocalRunsTheArgvAsIs() {
        List<String> receive = List.of("zfs", "receive", "-u", "backup/vm 1");
        TargetTransport ssh = new TargetTransport(TransferTarget.ssh("10.1.0.7", "zsentinel", 2222, "/etc/zs/id"),
                ZfsBinaries.defaults());
        assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=15",
                "-p", "2222", "-i", "/etc/zs/id", "--", "zsentinel@10.1.0.7", "'zfs' 'receive' '-u' 'backup/vm 1'"),
                ssh.argv(receive));
        assertEquals(List.of("/usr/sbin/zfs", "receive", "-u", "backup/vm 1"),
                new TargetTransport(TransferTarget.LOCAL, ZfsBinaries.defaults()).argv(receive));
    }
}
