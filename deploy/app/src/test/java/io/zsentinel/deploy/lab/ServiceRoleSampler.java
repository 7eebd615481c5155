package io.zsentinel.deploy.lab;

import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.CommandRunner;
import io.zsentinel.core.zfs.DatasetRole;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Watches a service's copies through a whole test run: every {@link #EVERY} one {@code zfs get} of
 * {@value DatasetRole#ROLE} and {@value DatasetRole#GENERATION} on each server's copy ({@code SERVER/SERVICE}), kept
 * as a {@link Sample}. A copy whose role is {@code primary} is the writable primary on its server (zfs-fuse reports
 * {@code readonly} as its mount's "temporary" value, so the role is the signal; a test checks a write at the end).
 * A server the test has paused as a whole (a frozen agent stands for a paused node, whose clients are paused too) is
 * recorded as paused and does not count as serving while it is.
 */
final class ServiceRoleSampler implements AutoCloseable {
    static final Duration EVERY = Duration.ofMillis(200);

    /** What one look saw: each present copy's role ("-" when it has none) and generation, and who was paused. */
    record Sample(Instant at, Map<String, String> roles, Map<String, Long> generations, Set<String> paused) {
        boolean primary(String server) {
            return "primary".equals(roles.get(server));
        }

        /** The servers whose copy was the writable primary, not paused. */
        Set<String> servingPrimaries() {
            Set<String> serving = new TreeSet<>();
            roles.forEach((server, role) -> {
                if (role.equals("primary") && !paused.contains(server)) {
                    serving.add(server);
                }
            });
            return serving;
        }

        @Override
        public String toString() {
            return at + " roles " + roles + " generations " + generations + (paused.isEmpty() ? "" : " paused " + paused);
        }
    }

    private final CommandRunner runner;
    private final Map<String, String> datasets = new LinkedHashMap<>();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Set<String> paused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    ServiceRoleSampler(CommandRunner runner, String service, List<String> servers) {
        this.runner = runner;
        servers.forEach(server -> datasets.put(server + "/" + service, server));
        this.thread = new Thread(this::sampleUntilClosed, "service-role-sampler");
        thread.setDaemon(true);
    }

    ServiceRoleSampler start() {
        thread.start();
        return this;
    }

    /** From now on {@code server} counts as paused as a whole (or again as running). */
    void paused(String server, boolean isPaused) {
        if (isPaused) {
            paused.add(server);
        } else {
            paused.remove(server);
        }
    }

    private void sampleUntilClosed() {
        while (running) {
            long next = System.nanoTime() + EVERY.toNanos();
            sampleOnce();
            long rest = next - System.nanoTime();
            if (rest > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(rest);
            }
        }
    }

    private void sampleOnce() {
        Set<String> pausedBefore = Set.copyOf(paused); // read before zfs: a pause that starts during a look counts
        List<String> argv = new ArrayList<>(List.of("zfs", "get", "-H", "-o", "name,property,value",
                DatasetRole.ROLE + "," + DatasetRole.GENERATION));
        argv.addAll(datasets.keySet());
        // zfs get names a missing dataset on stderr and still prints the others: read stdout whatever the status
        CommandResult result = runner.run(argv, Duration.ofSeconds(60));
        Map<String, String> roles = new LinkedHashMap<>();
        Map<String, Long> generations = new LinkedHashMap<>();
        for (String line : result.stdout().split("\n")) {
            String[] cells = line.split("\t", -1);
            if (cells.length != 3 || !datasets.containsKey(cells[0])) {
                continue;
            }
            String server = datasets.get(cells[0]);
            if (cells[1].equals(DatasetRole.ROLE)) {
                roles.put(server, cells[2].strip());
            } else if (cells[1].equals(DatasetRole.GENERATION) && !cells[2].strip().equals("-")) {
                generations.put(server, Long.parseLong(cells[2].strip()));
            }
        }
        Set<String> pausedNow = new TreeSet<>(pausedBefore);
        pausedNow.addAll(paused);
        samples.add(new Sample(Instant.now(), Map.copyOf(roles), Map.copyOf(generations), Set.copyOf(pausedNow)));
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The looks that saw two or more servers serving as the writable primary at once. */
    List<Sample> doublePrimaries() {
        return samples.stream().filter(s -> s.servingPrimaries().size() > 1).toList();
    }

    /** The first look (from the start) for which {@code test} holds. */
    Optional<Sample> first(Predicate<Sample> test) {
        return samples.stream().filter(test).findFirst();
    }

    /** The last look for which {@code test} holds. */
    Optional<Sample> last(Predicate<Sample> test) {
        List<Sample> all = samples();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (test.test(all.get(i))) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(90).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
