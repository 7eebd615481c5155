package io.zsentinel.deploy.cli;

import io.zsentinel.deploy.bench.FailoverBench;
import io.zsentinel.deploy.bench.FleetBench;
import io.zsentinel.deploy.bench.ReplicationBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Benchmarks: replication on zfs-fuse pools, the controller under a synthetic fleet,"
        + " failover and switchover on the lab.",
        subcommands = {BenchCommand.Replication.class, BenchCommand.Fleet.class, BenchCommand.Failover.class,
                BenchCommand.Switchover.class})
final class BenchCommand {

    @Command(name = "replication", description = "Raw zfs send|receive vs. zsentinel's transfer executor on two zfs-fuse pools.")
    static final class Replication implements Callable<Integer> {
        @Option(names = "--size-mib", paramLabel = "N", defaultValue = "1024", description = "the stream's size in MiB (default: ${DEFAULT-VALUE})")
        int sizeMib;
        @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "how many times each is timed (default: ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "/var/tmp/zsentinel-bench", description = "where the pools' files go (default: ${DEFAULT-VALUE})")
        Path dir;
        @Option(names = "--report", paramLabel = "FILE", defaultValue = "docs/benchmarks.md", description = "the report the results are added to (default: ${DEFAULT-VALUE})")
        Path report;

        private final Terminal terminal;

        Replication(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            return new ReplicationBench(new ReplicationBench.Options(sizeMib, rounds, dir, report), terminal.out()).run();
        }
    }

    @Command(name = "fleet", description = {
            "The real controller (embedded PostgreSQL or --jdbc-url, in-process Kafka) fed synthetic agent facts: "
                    + "N servers × M datasets × K snapshots.",
            "Phases (--only, comma-separated): ingest (facts/s and events/s end to end), publish (domain events on "
                    + "Kafka), liveness (a heartbeat's delay in a burst), memory (heap after GC, RSS), rebuild (views "
                    + "at restart), load (a command on a long history, cache cold), plan (one replication pass over "
                    + "every dataset × 2 targets). What a chosen phase needs (the fleet's facts, a restart) runs "
                    + "unreported."})
    static final class Fleet implements Callable<Integer> {
        @Option(names = "--servers", paramLabel = "N", defaultValue = "100", description = "storage servers (default: ${DEFAULT-VALUE})")
        int servers;
        @Option(names = "--datasets", paramLabel = "M", defaultValue = "100", description = "datasets per server (default: ${DEFAULT-VALUE})")
        int datasets;
        @Option(names = "--snapshots", paramLabel = "K", defaultValue = "10", description = "snapshots per dataset (default: ${DEFAULT-VALUE})")
        int snapshots;
        @Option(names = "--burst", paramLabel = "N", defaultValue = "10000", description = "snapshot facts in the liveness burst (default: ${DEFAULT-VALUE})")
        int burst;
        @Option(names = "--history", paramLabel = "S", split = ",", defaultValue = "1000,10000",
                description = "history sizes (snapshots) of the datasets the load phase commands (default: ${DEFAULT-VALUE})")
        List<Integer> histories;
        @Option(names = "--only", paramLabel = "PHASE", split = ",", description = "run and report only these phases (default: all)")
        List<String> only;
        @Option(names = "--jdbc-url", paramLabel = "URL", description = "an empty PostgreSQL database instead of the embedded one")
        String jdbcUrl;
        @Option(names = "--db-user", paramLabel = "USER", defaultValue = "postgres", description = "user for --jdbc-url (default: ${DEFAULT-VALUE})")
        String user;
        @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "", description = "password for --jdbc-url")
        String password;
        @Option(names = "--publish-wait", paramLabel = "SECONDS", defaultValue = "120",
                description = "how long to wait for the domain events to reach Kafka after ingestion (default: ${DEFAULT-VALUE})")
        long publishWaitSeconds;
        @Option(names = "--plan-wait", paramLabel = "SECONDS", defaultValue = "300",
                description = "how long to wait for the first replication pass to plan every link (default: ${DEFAULT-VALUE})")
        long planWaitSeconds;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600",
                description = "the longest any wait may take before the bench gives up (default: ${DEFAULT-VALUE})")
        long timeoutSeconds;
        @Option(names = "--label", paramLabel = "TEXT", defaultValue = "this run", description = "the column's title in the report (default: ${DEFAULT-VALUE})")
        String label;
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "/var/tmp/zsentinel-bench", description = "where the broker's and the embedded store's files go, removed afterwards (default: ${DEFAULT-VALUE})")
        Path dir;
        @Option(names = "--report", paramLabel = "FILE", defaultValue = "docs/benchmarks.md", description = "the report the results are added to (default: ${DEFAULT-VALUE})")
        Path report;

        private final Terminal terminal;

        Fleet(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            return new FleetBench(new FleetBench.Options(servers, datasets, snapshots, burst, histories,
                    FleetBench.Phase.parse(only), jdbcUrl, user, password, dir, report, label,
                    Duration.ofSeconds(publishWaitSeconds), Duration.ofSeconds(planWaitSeconds),
                    Duration.ofSeconds(timeoutSeconds)), terminal.out()).run();
        }
    }

    @Command(name = "failover", description = {
            "Failover on the lab: per round a fresh lab in --dir, the demo client writing to vm1, the link primary → "
                    + "standby in sync, then the primary faulted (--kind).",
            "Measures fault → ServerDeclaredFailed, fault → ServiceSwitched, the client's longest gap and the records "
                    + "it lost; median and worst. Needs the lab's pool names (primary, standby, offsite) free: no lab "
                    + "may run meanwhile."})
    static final class Failover implements Callable<Integer> {
        @Option(names = "--rounds", paramLabel = "N", defaultValue = "10", description = "how many failovers (default: ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--kind", paramLabel = "KIND", defaultValue = "crash", description = "the fault: crash, pool, freeze or partition (default: ${DEFAULT-VALUE})")
        String kind;
        @Option(names = "--fence", description = "the lab's fence hook powers the failed primary off (IPMI's stand-in);"
                + " without it each failover waits for the failed primary's lease to lapse")
        boolean fence;
        @Option(names = "--round-timeout", paramLabel = "SECONDS", defaultValue = "180",
                description = "the longest each wait of a round may take (default: ${DEFAULT-VALUE})")
        long roundTimeoutSeconds;
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "/var/tmp/zsentinel-bench-failover", description = "the labs' directory, reset every round (default: ${DEFAULT-VALUE})")
        Path dir;
        @Option(names = "--report", paramLabel = "FILE", defaultValue = "docs/benchmarks.md", description = "the report the results are added to (default: ${DEFAULT-VALUE})")
        Path report;

        private final Terminal terminal;

        Failover(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            FailoverBench.Options options;
            try {
                options = new FailoverBench.Options(rounds, kind, fence, dir, report, Duration.ofSeconds(roundTimeoutSeconds));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--rounds is at least 1 and --kind one of crash, pool, freeze, partition");
            }
            return new FailoverBench(options, terminal.out()).run();
        }
    }

    @Command(name = "switchover", description = {
            "Planned switchover on the lab: per round a fresh lab in --dir, the demo client writing to vm1, the link "
                    + "primary → standby in sync, then a switchover to the standby ordered over REST.",
            "Measures order → old primary read-only, order → ServiceSwitched, the client's longest gap and the records "
                    + "it lost (none may be); median and worst. Needs the lab's pool names (primary, standby, offsite) "
                    + "free: no lab may run meanwhile."})
    static final class Switchover implements Callable<Integer> {
        @Option(names = "--rounds", paramLabel = "N", defaultValue = "10", description = "how many switchovers (default: ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--round-timeout", paramLabel = "SECONDS", defaultValue = "180",
                description = "the longest each wait of a round may take (default: ${DEFAULT-VALUE})")
        long roundTimeoutSeconds;
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "/var/tmp/zsentinel-bench-switchover", description = "the labs' directory, reset every round (default: ${DEFAULT-VALUE})")
        Path dir;
        @Option(names = "--report", paramLabel = "FILE", defaultValue = "docs/benchmarks.md", description = "the report the results are added to (default: ${DEFAULT-VALUE})")
        Path report;

        private final Terminal terminal;

        Switchover(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            if (rounds < 1) {
                throw new UsageException("--rounds is at least 1");
            }
            return new FailoverBench(new FailoverBench.Options(rounds, FailoverBench.SWITCHOVER, false, dir, report,
                    Duration.ofSeconds(roundTimeoutSeconds)), terminal.out()).run();
        }
    }
}
