package io.zsentinel.deploy.cli;

import io.zsentinel.deploy.lab.Lab;
import io.zsentinel.deploy.lab.LabLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "lab", description = "Runs the lab until Ctrl-C: three zfs-fuse pools, Kafka, PostgreSQL, agents, the controller and"
        + " the dashboard, in one process; one lab per directory.")
final class LabCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".lab", description = "where the lab keeps its pools and data (default: ${DEFAULT-VALUE})")
    Path dir;
    @Option(names = "--reset", description = "destroy the lab's pools and data first")
    boolean reset;
    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "the dashboard's and API's port (default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "9092", description = "the Kafka broker's port (default: ${DEFAULT-VALUE})")
    int kafkaPort;
    @Option(names = "--install", description = "install and start what is missing (zfs-fuse) first; done by ./zsentinel before Java starts")
    boolean install;

    private final Terminal terminal;

    LabCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        Lab.Options lab = new Lab.Options(dir, reset, port, kafkaPort);
        try {
            UntilInterrupted.run(() -> {
                Lab running = Lab.start(lab);
                terminal.out().println("zsentinel lab is running. Dashboard and API: " + running.dashboard()
                        + "\n  try: zfs snapshot primary/vm1@manual-1; curl -s " + running.dashboard()
                        + "api/datasets/primary%2Fvm1/snapshots\n  Ctrl-C stops the lab.");
                return running;
            }, terminal.out(), terminal.err());
        } catch (LabLock.AlreadyRunning e) {
            terminal.out().println("zsentinel: " + e.getMessage());
            return 0; // nothing failed: the lab the operator asked for is running
        }
        return 0;
    }
}
