package io.zsentinel.deploy.cli;

import io.zsentinel.deploy.bench.ReplicationBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Benchmarks on zfs-fuse pools.", subcommands = BenchCommand.Replication.class)
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
}
