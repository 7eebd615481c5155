package io.zsentinel.deploy.cli;

import io.zsentinel.deploy.lab.Lab;
import io.zsentinel.deploy.lab.LabLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.zsentinel.deploy.lab.LabClient;
import io.zsentinel.deploy.lab.LabControl;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

@Command(name = "lab", description = "Runs the lab until Ctrl-C: three zfs-fuse pools, Kafka, PostgreSQL, the controller and"
        + " the dashboard, and each server's agent as a process of its own; one lab per directory.",
        subcommands = {LabCommand.Fault.class, LabCommand.Heal.class, LabCommand.Client.class})
final class LabCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".lab", description = "where the lab keeps its pools and data (default: ${DEFAULT-VALUE})")
    Path dir;
    @Option(names = "--reset", description = "destroy the lab's pools and data first")
    boolean reset;
    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "the dashboard's and API's port (default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "9092", description = "the Kafka broker's port (default: ${DEFAULT-VALUE})")
    int kafkaPort;
    @Option(names = "--fence", description = "give the service vm1 the lab's fence hook (a stand-in for IPMI power-off:"
            + " the failed server's agent killed, its pool exported); without it a failover waits for the failed"
            + " primary's lease to lapse")
    boolean fence;
    @Option(names = "--install", description = "install and start what is missing (zfs-fuse) first; done by ./zsentinel before Java starts")
    boolean install;

    private final Terminal terminal;

    LabCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        Lab.Options lab = new Lab.Options(dir, reset, port, kafkaPort, fence);
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

    /** How long a fault or heal may take: a pool export or import on zfs-fuse under load. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(120);

    /** A request to the lab running in {@code --dir}; prints its answer. */
    abstract static class LabRequest implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".lab", description = "the running lab's directory (default: ${DEFAULT-VALUE})")
        Path dir;
        private final Terminal terminal;

        LabRequest(Terminal terminal) {
            this.terminal = terminal;
        }

        abstract List<String> words();

        @Override
        public Integer call() {
            terminal.out().println(LabControl.request(dir, words(), ANSWER_WITHIN));
            return 0;
        }
    }

    @Command(name = "fault", description = "Injects a real fault into one server of the running lab: crash (its agent killed, its"
            + " pool exported), pool (its pool exported under its running agent), freeze (its agent stopped with SIGSTOP, its pool left as it is) or partition (its network"
            + " link down). Undo it with lab heal.")
    static final class Fault extends LabRequest {
        @Parameters(index = "0", paramLabel = "SERVER", description = "primary, standby or offsite")
        String server;
        @Option(names = "--kind", paramLabel = "KIND", required = true, description = "crash, pool, freeze or partition")
        String kind;

        Fault(Terminal terminal) {
            super(terminal);
        }

        @Override
        List<String> words() {
            return List.of("fault", server, kind);
        }
    }

    @Command(name = "heal", description = "Undoes the fault of one server of the running lab: a crashed server's pool is"
            + " imported and its agent started again, a failed pool imported, a frozen agent resumed, a partitioned one connected again.")
    static final class Heal extends LabRequest {
        @Parameters(index = "0", paramLabel = "SERVER", description = "primary, standby or offsite")
        String server;

        Heal(Terminal terminal) {
            super(terminal);
        }

        @Override
        List<String> words() {
            return List.of("heal", server);
        }
    }

    @Command(name = "client", description = "A demo client of the lab's service until Ctrl-C: appends a numbered, timestamped"
            + " record every 100 ms to a file in the served dataset (where DIR/service/SERVICE.endpoint says it is served),"
            + " prints each gap in service and, after a move to another server, the records that server's copy lacks.")
    static final class Client implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".lab", description = "the lab's directory (default: ${DEFAULT-VALUE})")
        Path dir;
        @Option(names = "--service", paramLabel = "NAME", defaultValue = Lab.SERVICE, description = "the service (default: ${DEFAULT-VALUE})")
        String service;
        @Option(names = "--every-ms", paramLabel = "MS", defaultValue = "100", description = "how often it writes (default: ${DEFAULT-VALUE})")
        long everyMs;
        private final Terminal terminal;

        Client(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            if (!service.matches("[A-Za-z0-9._-]{1,64}") || everyMs < 10) {
                throw new UsageException("--service is a name of letters, digits, . _ - and --every-ms at least 10");
            }
            Path endpoint = Lab.endpointFile(dir, service);
            LabClient client = new LabClient(endpoint, Clock.systemUTC(), terminal.out());
            terminal.out().println("writing to the service " + service + " as " + endpoint + " says, every " + everyMs
                    + " ms; Ctrl-C ends it with a summary");
            UntilInterrupted.run(() -> {
                ScheduledExecutorService ticks =
                        Executors.newSingleThreadScheduledExecutor();
                ticks.scheduleAtFixedRate(client::tick, 0, everyMs, TimeUnit.MILLISECONDS);
                return () -> {
                    ticks.shutdown();
                    ticks.awaitTermination(10, TimeUnit.SECONDS);
                    client.report().forEach(terminal.out()::println);
                };
            }, terminal.out(), terminal.err());
            return 0;
        }
    }
}
