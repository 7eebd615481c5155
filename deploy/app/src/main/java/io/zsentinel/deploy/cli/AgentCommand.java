package io.zsentinel.deploy.cli;

import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.agent.AgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "agent", description = "Runs this storage server's agent until Ctrl-C: reports its pools to Kafka, carries out the controller's commands.")
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "agent.yaml", required = true, description = "the agent's configuration (see README.md)")
    Path config;

    private final Terminal terminal;

    AgentCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        AgentConfig read = ConfigFiles.read(config, AgentConfig.class);
        UntilInterrupted.run(() -> {
            ProcessCommandRunner runner = new ProcessCommandRunner(new ZfsBinaries(read.zfsCommand(), read.zpoolCommand()));
            MessagePublisher publisher = MessagePublisher.create(read.kafka().bootstrap());
            Agent agent = new Agent(read, ZfsDriver.detect(runner, read.pools().get(0)), publisher, Clock.systemUTC()).start();
            return () -> {
                agent.close();
                publisher.close();
            };
        }, terminal.out(), terminal.err());
        return 0;
    }
}
