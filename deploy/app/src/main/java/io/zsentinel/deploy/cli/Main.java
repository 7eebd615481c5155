package io.zsentinel.deploy.cli;

import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import io.zsentinel.core.zfs.ZfsBinaries;
import io.zsentinel.core.zfs.ZfsDriver;
import io.zsentinel.deploy.agent.Agent;
import io.zsentinel.deploy.bench.ReplicationBench;
import io.zsentinel.deploy.agent.AgentConfig;
import io.zsentinel.core.config.ConfigException;
import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.controller.ControllerApp;
import io.zsentinel.deploy.embedded.EmbeddedPostgresStore;
import io.zsentinel.deploy.lab.Lab;
import io.zsentinel.deploy.lab.LabException;
import io.zsentinel.deploy.lab.LabLock;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code zsentinel lab | controller | agent | status | checkpoint | rollback | restore | audit | replication | help}.
 * Errors are one clear message, never a stack trace.
 */
public final class Main {
    private static final String USAGE = """
            usage: zsentinel <command> [options]
              lab [--dir DIR] [--reset] [--port N] [--kafka-port N] [--install]
                                 three zfs-fuse pools, Kafka, PostgreSQL, agents, controller and dashboard
              controller --config controller.yaml
              agent --config agent.yaml
              status [--url http://127.0.0.1:8080] [--full]
                                 servers, datasets and replication links as the controller sees them
                                 (times in your zone: TZ; --full prints long notes whole)
              bench replication [--size-mib 1024] [--rounds 3] [--dir DIR] [--report docs/benchmarks.md]
                                 raw zfs send|receive vs. zsentinel's transfer executor on two zfs-fuse pools
            """ + OperatorCli.USAGE + ReplicationCli.USAGE;

    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        try {
            System.exit(run(args));
        } catch (ConfigException | LabException | UsageException | IllegalArgumentException e) {
            System.err.println("zsentinel: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("zsentinel: " + e);
            System.exit(1);
        }
    }

    static int run(String[] args) throws Exception {
        Options options = new Options(args.length == 0 ? new String[0] : Arrays.copyOfRange(args, 1, args.length));
        String command = args.length == 0 ? "help" : args[0];
        if (options.help() && !command.equals("help")) {
            System.out.print(usageOf(command));
            return 0;
        }
        switch (command) {
            case "lab" -> {
                Lab.Options lab = new Lab.Options(Path.of(options.value("--dir", ".lab")), options.flag("--reset"),
                        options.intValue("--port", 8080), options.intValue("--kafka-port", 9092));
                options.flag("--install"); // handled by the launcher script before Java starts
                options.requireAllUsed();
                try {
                    runUntilInterrupted(() -> {
                        Lab running = Lab.start(lab);
                        System.out.println("zsentinel lab is running. Dashboard and API: " + running.dashboard()
                                + "\n  try: zfs snapshot primary/vm1@manual-1; curl -s " + running.dashboard()
                                + "api/datasets/primary%2Fvm1/snapshots\n  Ctrl-C stops the lab.");
                        return running;
                    });
                } catch (LabLock.AlreadyRunning e) {
                    System.out.println("zsentinel: " + e.getMessage());
                    return 0; // nothing failed: the lab the operator asked for is running
                }
            }
            case "controller" -> {
                ControllerConfig config = ConfigFiles.read(Path.of(options.required("--config")), ControllerConfig.class);
                options.requireAllUsed();
                runUntilInterrupted(() -> {
                    ControllerApp app = ControllerApp.start(config, EmbeddedPostgresStore::start, Clock.systemUTC());
                    System.out.println("zsentinel controller: API on http://" + config.http().host() + ":" + app.httpPort() + "/");
                    return app;
                });
            }
            case "agent" -> {
                AgentConfig config = ConfigFiles.read(Path.of(options.required("--config")), AgentConfig.class);
                options.requireAllUsed();
                runUntilInterrupted(() -> {
                    ProcessCommandRunner runner = new ProcessCommandRunner(new ZfsBinaries(config.zfsCommand(), config.zpoolCommand()));
                    MessagePublisher publisher = MessagePublisher.create(config.kafka().bootstrap());
                    Agent agent = new Agent(config, ZfsDriver.detect(runner, config.pools().get(0)), publisher,
                            Clock.systemUTC()).start();
                    return () -> {
                        agent.close();
                        publisher.close();
                    };
                });
            }
            case "status" -> {
                String url = options.value("--url", "http://127.0.0.1:8080");
                boolean full = options.flag("--full");
                options.requireAllUsed();
                return StatusCommand.print(url, System.out, ZoneId.systemDefault(), full);
            }
            case "bench" -> {
                ReplicationBench.Options bench = new ReplicationBench.Options(options.intValue("--size-mib", 1024),
                        options.intValue("--rounds", 3), Path.of(options.value("--dir", "/var/tmp/zsentinel-bench")),
                        Path.of(options.value("--report", "docs/benchmarks.md")));
                String what = options.positionals(1, 1, "zsentinel bench replication [options]").get(0);
                if (!what.equals("replication")) {
                    throw new UsageException("bench: the only benchmark is \"replication\", not \"" + what + "\"");
                }
                options.requireAllUsed();
                return new ReplicationBench(bench, System.out).run();
            }
            case "checkpoint", "rollback", "restore", "audit" -> {
                return OperatorCli.standard().run(command, options);
            }
            case "replication" -> {
                return ReplicationCli.standard().run(options);
            }
            case "help", "--help", "-h" -> {
                List<String> about = options.help() ? List.of() : options.positionals(0, 1, "zsentinel help [command]");
                System.out.print(about.isEmpty() ? USAGE : usageOf(about.get(0)));
            }
            default -> throw new UsageException("unknown command \"" + command + "\"\n" + USAGE);
        }
        return 0;
    }

    /**
     * The part of {@link #USAGE} about {@code command}: its lines (a line starting with the command) and the
     * lines indented under them; an unknown command is refused with the whole usage.
     */
    static String usageOf(String command) {
        StringBuilder own = new StringBuilder();
        boolean in = false;
        for (String line : USAGE.lines().toList()) {
            boolean commandLine = line.startsWith("  ") && !line.startsWith("   ");
            if (commandLine) {
                in = line.substring(2).split("[ |]", 2)[0].equals(command);
            } else if (line.contains("operator commands also take")) {
                in = false; // ORDER_OPTIONS, added below to the commands they belong to
            }
            if (in && (commandLine || line.startsWith("    "))) {
                own.append(commandLine ? "  zsentinel " + line.substring(2) : line).append('\n');
            }
            in &= !line.isBlank();
        }
        if (own.isEmpty()) {
            throw new UsageException("unknown command \"" + command + "\"\n" + USAGE);
        }
        boolean ordersSomething = Set.of("checkpoint", "rollback", "restore").contains(command);
        return "usage:\n" + own + (ordersSomething ? OperatorCli.ORDER_OPTIONS : "");
    }

    @FunctionalInterface
    interface Starter {
        AutoCloseable start() throws Exception;
    }

    /** Starts, then waits for Ctrl-C (SIGINT/SIGTERM) and stops everything before the JVM exits. */
    private static void runUntilInterrupted(Starter starter) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Deque<AutoCloseable> running = new ArrayDeque<>();
        Thread hook = new Thread(() -> {
            AutoCloseable r = running.peek();
            if (r != null) {
                System.out.println("zsentinel: stopping ...");
                try {
                    r.close();
                } catch (Exception e) {
                    System.err.println("zsentinel: while stopping: " + e);
                }
            }
            stopped.countDown();
        }, "zsentinel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            running.push(starter.start());
        } catch (Exception e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
        stopped.await();
    }
}
