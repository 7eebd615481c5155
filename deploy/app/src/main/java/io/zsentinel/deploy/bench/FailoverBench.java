package io.zsentinel.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.deploy.lab.Lab;
import io.zsentinel.deploy.lab.LabClient;
import io.zsentinel.deploy.lab.LabControl;
import io.zsentinel.deploy.lab.LabException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code zsentinel bench failover --rounds N}: the issue-11 failover measured on the lab. Each round starts a fresh
 * lab (there is no rejoin yet, so a failed-over lab cannot be failed over again), runs the demo client against the
 * service vm1, waits until the link primary → standby is in sync on a snapshot, faults the primary, and measures
 * fault → ServerDeclaredFailed, fault → ServiceSwitched, the client's longest gap in service and the records it lost
 * (only those written after the last replicated snapshot may be). Median and worst go to {@code docs/benchmarks.md}.
 */
public final class FailoverBench {
    /** {@code kind}: the lab fault (crash, pool, freeze, partition); {@code fence}: the lab's fence hook configured. */
    public record Options(int rounds, String kind, boolean fence, Path dir, Path report, Duration roundTimeout) {
        public Options {
            if (rounds < 1 || !List.of("crash", "pool", "freeze", "partition", SWITCHOVER).contains(kind)) {
                throw new IllegalArgumentException("rounds at least 1, kind crash, pool, freeze, partition or switchover");
            }
        }

        /** A planned switchover to the standby instead of a fault (`zsentinel bench switchover`, issue 12). */
        boolean switchover() {
            return SWITCHOVER.equals(kind);
        }
    }

    /** The kind that orders a planned switchover instead of faulting the primary. */
    public static final String SWITCHOVER = "switchover";

    /**
     * One round. Durations null when that point was not reached ({@code failure} says why). {@code lostEarly}: lost
     * records written before the last snapshot the standby had received at the fault — those must never be lost.
     */
    record Round(Duration detected, Duration switched, Duration longestGap, int lost, int lostEarly, String failure) {
    }

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration AFTER_SWITCH = Duration.ofSeconds(3);
    private static final String PRIMARY = "primary";
    private static final String STANDBY = "standby";

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    /** Why the last switchover order of this bench was not accepted. */
    private String lastRefusal;

    public FailoverBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public int run() throws IOException, InterruptedException {
        String loadAtStart = Machine.loadAverage();
        List<Round> rounds = new ArrayList<>();
        for (int i = 1; i <= options.rounds(); i++) {
            out.printf("round %d of %d: a fresh lab in %s%n", i, options.rounds(), options.dir());
            Round round = round();
            rounds.add(round);
            out.println("  " + (options.switchover() ? describeSwitchover(round) : describe(round)));
        }
        String table = report(rounds, loadAtStart);
        out.print(table);
        if (options.report() != null) {
            Files.writeString(options.report(), table, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.println("appended to " + options.report());
        }
        return rounds.stream().allMatch(r -> r.failure() == null) ? 0 : 1;
    }

    private Round round() throws IOException, InterruptedException {
        Files.createDirectories(options.dir());
        try (Lab lab = startLab()) {
            String api = lab.dashboard() + "api/";
            LabClient client = new LabClient(Lab.endpointFile(options.dir(), Lab.SERVICE), Clock.systemUTC(),
                    new PrintStream(OutputStream.nullOutputStream()));
            ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
            try {
                ticks.scheduleAtFixedRate(client::tick, 0, 100, TimeUnit.MILLISECONDS);
                Optional<Instant> base = await(options.roundTimeout(), () -> inSyncBase(api));
                if (base.isEmpty()) {
                    return failed("the link primary → standby was not in sync on a snapshot within "
                            + options.roundTimeout().toSeconds() + " s");
                }
                // a switchover loses nothing at all: every record counts as one that must not be lost
                Instant protectedUntil = options.switchover() ? Instant.MAX : inSyncBase(api).orElse(base.get());
                Instant ordered = options.switchover() ? orderSwitchoverWhenAccepted(api) : null;
                if (options.switchover() && ordered == null) {
                    return failed(lastRefusal);
                }
                Instant fault = ordered != null ? ordered : Instant.now();
                String faultNote = null;
                if (!options.switchover()) {
                    try {
                        LabControl.request(options.dir(), List.of("fault", PRIMARY, options.kind()), options.roundTimeout());
                    } catch (LabException e) {
                        faultNote = e.getMessage(); // e.g. a crash whose pool stayed imported: the failover still runs
                        out.println("  the fault was incomplete: " + faultNote);
                    }
                }
                Optional<Instant> declared = await(options.roundTimeout(), () -> options.switchover()
                        ? stepAt(api, "FormerPrimaryDemoted") : declaredFailedAt(api));
                Optional<Instant> switched = await(options.roundTimeout(), () -> switchedAt(api));
                if (switched.isPresent()) {
                    await(AFTER_SWITCH.plusSeconds(10), () -> servedFrom(STANDBY));
                    sleepFor(AFTER_SWITCH); // a few writes on the new primary: the client checks its records there
                }
                ticks.shutdown();
                ticks.awaitTermination(10, TimeUnit.SECONDS);
                LabClient.Summary seen = client.summary();
                int early = (int) seen.missing().values().stream().filter(at -> at.isBefore(protectedUntil)).count();
                return new Round(declared.map(at -> Duration.between(fault, at)).orElse(null),
                        switched.map(at -> Duration.between(fault, at)).orElse(null), seen.longestGap(),
                        seen.missing().size(), early, switched.isPresent() ? (faultNote == null ? null
                        : "the fault was incomplete: " + faultNote)
                        : "no ServiceSwitched within " + options.roundTimeout().toSeconds() + " s: " + serviceState(api));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed("interrupted");
            } finally {
                ticks.shutdownNow();
            }
        } catch (RuntimeException e) {
            return failed(e.toString());
        } finally {
            try {
                Lab.destroyPools(options.dir()); // the next round starts afresh; the last leaves no lab pools behind
            } catch (RuntimeException e) {
                out.println("  could not destroy this round's pools: " + e.getMessage());
            }
        }
    }

    /**
     * A fresh lab; while another lab (or a test's) holds the pool names primary, standby and offsite, it waits for
     * them, up to the round's timeout.
     */
    private Lab startLab() throws IOException, InterruptedException {
        Instant until = Instant.now().plus(options.roundTimeout());
        while (true) {
            try {
                return Lab.start(new Lab.Options(options.dir(), true, 0, 0, options.fence()));
            } catch (LabException e) {
                if (!e.getMessage().contains("is not the lab's") || Instant.now().isAfter(until)) {
                    throw e;
                }
                out.println("  waiting: " + e.getMessage());
                sleepFor(Duration.ofSeconds(5));
            }
        }
    }

    private static Round failed(String why) {
        return new Round(null, null, null, 0, 0, why);
    }

    /** The creation time of the common base of primary/vm1 → standby/vm1 while that link is in sync. */
    private Optional<Instant> inSyncBase(String api) {
        for (JsonNode link : get(api + "replication/links")) {
            JsonNode source = link.path("source");
            JsonNode target = link.path("target");
            JsonNode created = link.path("base").path("created");
            if (source.path("server").asText().equals(PRIMARY) && target.path("server").asText().equals(STANDBY)
                    && link.path("state").asText().equals("in-sync") && created.isTextual()) {
                return Optional.of(Instant.parse(created.asText()));
            }
        }
        return Optional.empty();
    }

    private Optional<Instant> declaredFailedAt(String api) {
        for (JsonNode server : servers(get(api + "servers"))) {
            if (server.path("server").asText(server.path("id").asText()).equals(PRIMARY)
                    && server.path("declaredFailedAt").isTextual()) {
                return Optional.of(Instant.parse(server.path("declaredFailedAt").asText()));
            }
        }
        return Optional.empty();
    }

    /** GET /api/services/vm1 answers {"service": the row, ...}. */
    private JsonNode service(String api) {
        JsonNode answer = get(api + "services/" + Lab.SERVICE);
        return answer.has("service") && answer.path("service").isObject() ? answer.path("service") : answer;
    }

    private static JsonNode servers(JsonNode answer) {
        return answer.has("servers") ? answer.path("servers") : answer;
    }

    private Optional<Instant> switchedAt(String api) {
        return stepAt(api, "ServiceSwitched");
    }

    /** When the service's last failover or switchover recorded {@code event} first. */
    private Optional<Instant> stepAt(String api, String event) {
        for (JsonNode step : service(api).path("lastFailover").path("steps")) {
            if (step.path("event").asText().equals(event)) {
                return Optional.of(Instant.parse(step.path("at").asText()));
            }
        }
        return Optional.empty();
    }

    /**
     * Orders the switchover, again every second while it is refused with a 409 (the standby's inventory may not show
     * yet the snapshot its link reports in sync) up to the round's timeout; the moment it was accepted, or null with
     * {@link #lastRefusal} saying why not.
     */
    private Instant orderSwitchoverWhenAccepted(String api) throws InterruptedException {
        Instant until = Instant.now().plus(options.roundTimeout());
        while (true) {
            Instant asked = Instant.now();
            lastRefusal = orderSwitchover(api);
            if (lastRefusal == null) {
                return asked;
            }
            if (!lastRefusal.startsWith("switchover refused (409)") || Instant.now().isAfter(until)) {
                return null;
            }
            sleepFor(Duration.ofSeconds(1));
        }
    }

    /** POST /api/services/vm1/switchover to the standby; null when ordered, else why not (the round then fails). */
    private String orderSwitchover(String api) {
        String body = "{\"operator\":\"bench\",\"reason\":\"zsentinel bench switchover\",\"to\":\"" + STANDBY + "\"}";
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + "services/" + Lab.SERVICE
                            + "/switchover")).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() / 100 == 2 ? null : "switchover refused (" + answer.statusCode() + "): "
                    + answer.body();
        } catch (IOException e) {
            return "switchover not ordered: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private String serviceState(String api) {
        JsonNode service = service(api);
        return service.path("state").asText() + ", step " + service.path("step").asText()
                + (service.path("blockedBy").isTextual() ? ", " + service.path("blockedBy").asText() : "");
    }

    /** Whether the endpoint file (what the promote hook wrote) names {@code server}. */
    private Optional<Boolean> servedFrom(String server) {
        try {
            return Files.readString(Lab.endpointFile(options.dir(), Lab.SERVICE)).startsWith(server + " ")
                    ? Optional.of(true) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private JsonNode get(String url) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? json.readTree(answer.body()) : json.missingNode();
        } catch (IOException e) {
            return json.missingNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return json.missingNode();
        }
    }

    /** Polls {@code probe} every {@link #POLL} until it answers or {@code within} passed. */
    private static <T> Optional<T> await(Duration within, Supplier<Optional<T>> probe) throws InterruptedException {
        Instant until = Instant.now().plus(within);
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent() || Instant.now().isAfter(until)) {
                return found;
            }
            sleepFor(POLL);
        }
    }

    /** The bench waits in real time: it measures the system, not a test clock. */
    private static void sleepFor(Duration d) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(d.toMillis());
    }

    // --- the report -------------------------------------------------------------------------------------------

    static String describe(Round r) {
        return r.failure() != null && r.switched() == null ? "failed: " + r.failure()
                : String.format(Locale.ROOT, "declared failed after %s, switched after %s, longest gap %s, %d record(s) lost"
                        + " (%d before the last replicated snapshot)", seconds(r.detected()), seconds(r.switched()),
                seconds(r.longestGap()), r.lost(), r.lostEarly());
    }

    static String describeSwitchover(Round r) {
        return r.failure() != null && r.switched() == null ? "failed: " + r.failure()
                : String.format(Locale.ROOT, "old primary read-only after %s, switched after %s, longest gap %s, %d record(s)"
                        + " lost", seconds(r.detected()), seconds(r.switched()), seconds(r.longestGap()), r.lost());
    }

    private String report(List<Round> rounds, String loadAtStart) {
        if (options.switchover()) {
            return switchoverReport(rounds, loadAtStart);
        }
        StringBuilder s = new StringBuilder();
        s.append("\n## Failover, `zsentinel bench failover --rounds ").append(options.rounds()).append(" --kind ")
                .append(options.kind()).append(options.fence() ? " --fence" : "").append("` (issue 11), measured ")
                .append(LocalDate.now()).append("\n\n");
        s.append("Each round a fresh lab (three agent processes, the in-process broker, the embedded PostgreSQL, the"
                + " controller with its defaults: heartbeat TTL 8 s, lease 10 s + margin 5 s, ").append(options.fence()
                ? "the lab's fence hook: the failed primary powered off as IPMI would, its agent killed and its pool exported"
                : "no fence hook: each failover waits for the failed primary's lease to lapse").append("), the demo client"
                + " writing a record every 100 ms to vm1, the link primary → standby in sync on a snapshot; then `lab fault"
                + " primary --kind ").append(options.kind()).append("`. Times from the fault request to the event's time"
                + " in the controller's views.\n\n");
        s.append("Machine: ").append(Machine.describe()).append("; load average (1, 5, 15 min) ").append(loadAtStart)
                .append(" at the start, ").append(Machine.loadAverage()).append(" at the end.\n\n");
        s.append(table(rounds));
        return s.toString();
    }

    private String switchoverReport(List<Round> rounds, String loadAtStart) {
        StringBuilder s = new StringBuilder();
        s.append("\n## Switchover, `zsentinel bench switchover --rounds ").append(options.rounds())
                .append("` (issue 12), measured ").append(LocalDate.now()).append("\n\n");
        s.append("Each round a fresh lab (three agent processes, the in-process broker, the embedded PostgreSQL, the"
                + " controller with its defaults), the demo client writing a record every 100 ms to vm1, the link primary"
                + " → standby in sync on a snapshot; then `POST /api/services/vm1/switchover` to the standby: demote hook"
                + " and read-only on the primary, final snapshot, final send, checked by guid, promotion. Times from the"
                + " order to the event's time in the controller's views; every record written before the demotion counts"
                + " (none may be lost).\n\n");
        s.append("Machine: ").append(Machine.describe()).append("; load average (1, 5, 15 min) ").append(loadAtStart)
                .append(" at the start, ").append(Machine.loadAverage()).append(" at the end.\n\n");
        s.append(switchoverTable(rounds));
        return s.toString();
    }

    /** The per-round rows, median and worst, the way before (a failover by hand after stopping writers) and the goal. */
    static String switchoverTable(List<Round> rounds) {
        StringBuilder s = new StringBuilder("| round | order → old primary read-only | order → ServiceSwitched "
                + "| client's longest gap | records lost |\n|---|---|---|---|---|\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            s.append("| ").append(i + 1).append(" | ").append(seconds(r.detected())).append(" | ")
                    .append(seconds(r.switched())).append(" | ").append(seconds(r.longestGap())).append(" | ")
                    .append(r.failure() != null && r.switched() == null ? "— (" + r.failure() + ")"
                            : r.lost() + (r.failure() == null ? "" : "; " + r.failure())).append(" |\n");
        }
        List<Round> done = rounds.stream().filter(r -> r.switched() != null).toList();
        medianAndWorst(s, done, "");
        s.append("| before (issue 11) | no switchover: stop the writers, snapshot, wait for the link, force a failover |"
                + " | the whole procedure | what the last send did not carry |\n");
        s.append("| goal (issue 12) | | | median ≤ 5 s | 0 |\n");
        s.append("\n").append(done.size()).append(" of ").append(rounds.size()).append(" round(s) switched.\n");
        return s.toString();
    }

    /** The per-round rows, then median and worst, then the design before (failover by hand) and the goal. */
    static String table(List<Round> rounds) {
        StringBuilder s = new StringBuilder("| round | fault → ServerDeclaredFailed | fault → ServiceSwitched "
                + "| client's longest gap | records lost (before the last replicated snapshot) |\n|---|---|---|---|---|\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            s.append("| ").append(i + 1).append(" | ").append(seconds(r.detected())).append(" | ")
                    .append(seconds(r.switched())).append(" | ").append(seconds(r.longestGap())).append(" | ")
                    .append(r.failure() != null && r.switched() == null ? "— (" + r.failure() + ")"
                            : r.lost() + " (" + r.lostEarly() + ")" + (r.failure() == null ? "" : "; " + r.failure()))
                    .append(" |\n");
        }
        List<Round> done = rounds.stream().filter(r -> r.switched() != null).toList();
        medianAndWorst(s, done, " (" + done.stream().mapToInt(Round::lostEarly).max().orElse(0) + ")");
        s.append("| before (issue 10) | no failure detection | no automatic failover: a person promoted the standby by hand"
                + " | until that person acted | everything after the last replicated snapshot |\n");
        s.append("| goal (issue 11) | ≤ 10 s | median ≤ 15 s, worst ≤ 30 s | | only after the last replicated snapshot |\n");
        s.append("\n").append(done.size()).append(" of ").append(rounds.size()).append(" round(s) switched.\n");
        return s.toString();
    }

    /** The median and worst rows over the rounds that switched; {@code worstLostNote} follows the worst loss. */
    private static void medianAndWorst(StringBuilder s, List<Round> done, String worstLostNote) {
        s.append("| **median** | ").append(seconds(median(done, Round::detected))).append(" | ")
                .append(seconds(median(done, Round::switched))).append(" | ")
                .append(seconds(median(done, Round::longestGap))).append(" | ")
                .append(done.isEmpty() ? "—" : done.stream().mapToInt(Round::lost).sorted().toArray()[done.size() / 2])
                .append(" |\n");
        s.append("| **worst** | ").append(seconds(worst(done, Round::detected))).append(" | ")
                .append(seconds(worst(done, Round::switched))).append(" | ")
                .append(seconds(worst(done, Round::longestGap))).append(" | ")
                .append(done.stream().mapToInt(Round::lost).max().stream().mapToObj(String::valueOf).findFirst().orElse("—"))
                .append(worstLostNote).append(" |\n");
    }

    static Duration median(List<Round> rounds, Function<Round, Duration> what) {
        List<Duration> sorted = rounds.stream().map(what).filter(d -> d != null).sorted().toList();
        if (sorted.isEmpty()) {
            return null;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    private static Duration worst(List<Round> rounds, Function<Round, Duration> what) {
        return rounds.stream().map(what).filter(d -> d != null).max(Comparator.naturalOrder()).orElse(null);
    }

    private static String seconds(Duration d) {
        return d == null ? "—" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
