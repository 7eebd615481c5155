package io.zsentinel.deploy.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zsentinel.core.kafka.MessagePublisher;
import io.zsentinel.core.kafka.Topics;
import io.zsentinel.core.messages.CoreMessages;
import io.zsentinel.core.messages.Envelope;
import io.zsentinel.core.messages.EnvelopeCodec;
import io.zsentinel.core.messages.MessageTypes;
import io.zsentinel.core.messages.agentcommands.AgentCommand;
import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.PoolName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.zfs.CommandResult;
import io.zsentinel.core.zfs.ProcessCommandRunner;
import io.zsentinel.deploy.config.FailoverConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's failovers of service vm1 (primary/vm1 on primary, standby standby) on the faults that make a primary
 * dangerous rather than dead, on the lab itself: zfs-fuse pools, the in-process broker, PostgreSQL, the controller and
 * each agent a process of its own (in a network namespace of its own where the machine allows it), the faults sent as
 * {@code zsentinel lab fault|heal} sends them. Without a fence hook the standby may be promoted only once the primary's
 * lease has certainly lapsed; with the lab's fence hook ({@code lab --fence}: the failed server powered off, as IPMI
 * would) it is promoted as soon as the hook confirmed the power-off, before that lease lapses. Throughout each run a {@link ServiceRoleSampler} watches both copies' roles and says
 * whether two servers were ever the service's writable primary at once.
 */
@ResourceLock("lab") // the lab's pool names and network: one lab class at a time
class LabFailoverIT {
    private static final ProcessCommandRunner RUNNER = new ProcessCommandRunner();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Generous: two cores shared with other builds, zfs-fuse, three agent JVMs and a controller. */
    private static final Duration MINUTES = Duration.ofMinutes(5);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(120);
    /** The lab's controller runs the failover defaults: promotion without a fence waits lease + margin. */
    private static final Duration LEASE_AND_MARGIN = FailoverConfig.defaults().leaseAndMargin();
    private static final Pattern LAPSES_AT = Pattern.compile("its lease lapsed certainly at (\\S+?),");

    @TempDir
    Path dir;
    private Lab lab;
    private ServiceRoleSampler sampler;

    @AfterEach
    void stopTheLab() {
        if (sampler != null) {
            sampler.close();
        }
        if (lab != null) {
            lab.close(); // its agents, controller, store, broker and network; its pools stay imported
        }
        LabPools pools = new LabPools(dir, RUNNER);
        for (String server : Lab.SERVERS) {
            try {
                pools.destroy(new PoolName(server)); // only the pool on this lab's own file
            } catch (RuntimeException e) {
                System.err.println("LabFailoverIT cleanup: " + e.getMessage());
            }
        }
    }

    @Test
    void aFrozenPrimaryIsReplacedOnlyAfterItsLeaseLapsedAndDemotesItselfWhenItResumes() throws Exception {
        startLabAndSampler();
        readyToFailOver();

        sampler.paused("primary", true); // a frozen agent stands for a paused node: its clients are paused too
        String frozen = LabControl.request(dir, List.of("fault", "primary", "freeze"), ANSWER_WITHIN);
        assertTrue(frozen.contains("frozen"), frozen);

        await("the standby serves vm1").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> service().path("service").path("primary").asText().equals("standby"));
        JsonNode row = service().path("service");
        assertEquals(2, row.path("generation").asLong(), row.toString());
        Instant lastHeartbeat = Instant.parse(server("primary").path("lastHeartbeat").asText());
        Instant fencedAt = assertFencedByLeaseBeforeAnyPromotion(lastHeartbeat);
        ServiceRoleSampler.Sample promoted = sampler.first(s -> s.primary("standby")).orElseThrow();
        assertFalse(promoted.at().isBefore(fencedAt), "the standby's copy became primary at " + promoted.at()
                + ", not before the primary was fenced by its lease at " + fencedAt);
        assertTrue(sampler.samples().stream().filter(s -> s.at().isBefore(promoted.at()))
                        .allMatch(s -> !s.primary("standby")), "the standby was primary before " + promoted);

        // a command of the old generation waits for the frozen agent in its queue, behind the demotion the failover sent
        UUID stale = sendStalePromotion();

        Instant resumed = Instant.now();
        String healed = LabControl.request(dir, List.of("heal", "primary"), ANSWER_WITHIN);
        assertTrue(healed.contains("healed (freeze)"), healed);
        await("the resumed primary demoted itself").atMost(MINUTES).pollInterval(Duration.ofMillis(200))
                .until(() -> sampler.last(s -> true).map(s -> readOnly(s.roles().get("primary"))).orElse(false));
        ServiceRoleSampler.Sample demoted = sampler.first(s -> s.at().isAfter(resumed)
                && readOnly(s.roles().get("primary"))).orElseThrow();
        sampler.paused("primary", false);
        Duration window = Duration.between(resumed, demoted.at());
        System.out.println("LabFailoverIT: the resumed primary was seen demoted " + window.toMillis()
                + " ms after SIGCONT was sent");
        assertTrue(window.compareTo(Duration.ofSeconds(15)) < 0, "a resumed primary demotes at its first look at the"
                + " lease (every second), not " + window.toMillis() + " ms later");
        Path log = lab.agent("primary").logFile();
        // the resumed agent looks at its lease and at its queue at once: whichever comes first stops the writes
        await("the agent logged the demotion").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> Files.readString(log).contains("made its primary datasets [primary/vm1] read-only")
                        || Files.readString(log).contains("demoted primary/vm1 to a read-only replica of service "
                        + Lab.SERVICE + " at generation 2"));

        await("the stale promotion refused").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> Files.readString(log).contains("rejected PromoteDataset " + stale));
        String refusal = Files.readString(log).lines().filter(l -> l.contains("rejected PromoteDataset " + stale))
                .findFirst().orElseThrow();
        // refused for its generation either way: older than the failover's demotion (2) when that came first, or equal
        // to the one the agent demoted itself at (1) when the failover's dispatch was slower than this test's send
        assertTrue(refusal.contains("generation 1 is older than generation 2")
                || refusal.contains("a replica at generation 1, demoted at it"), refusal);
        await("the demotion the failover sent carried out").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> zfsGet("zsentinel:generation", "primary/vm1").equals("2"));

        assertOnePrimaryServing();
    }

    @Test
    void aPartitionedPrimaryDemotesItselfBeforeTheStandbyIsPromotedAndAfterHealOneServes() throws Exception {
        assumeTrue(LabNetwork.available(RUNNER), "a real partition needs network namespaces: root and iproute2");
        startLabAndSampler();
        readyToFailOver();

        String cut = LabControl.request(dir, List.of("fault", "primary", "partition"), ANSWER_WITHIN);
        assertTrue(cut.contains("partitioned"), cut);
        await("the standby serves vm1").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> service().path("service").path("primary").asText().equals("standby"));

        ServiceRoleSampler.Sample selfDemoted = sampler.first(s -> "stood-down".equals(s.roles().get("primary")))
                .orElseThrow(() -> new AssertionError("the partitioned primary never demoted itself: "
                        + sampler.last(s -> true)));
        ServiceRoleSampler.Sample promoted = sampler.first(s -> s.primary("standby")).orElseThrow();
        ServiceRoleSampler.Sample justBefore = sampler.last(s -> s.at().isBefore(promoted.at())).orElseThrow();
        assertFalse(justBefore.primary("primary"), "at the last look before the standby was primary (" + promoted
                + ") the partitioned primary had demoted itself already: " + justBefore);
        assertTrue(Files.readString(lab.agent("primary").logFile()).contains("has had no heartbeat acknowledged"),
                "the agent demoted itself on its lease, cut off from Kafka");
        Instant lastHeartbeat = Instant.parse(server("primary").path("lastHeartbeat").asText());
        assertFencedByLeaseBeforeAnyPromotion(lastHeartbeat);
        for (JsonNode step : steps()) {
            if (step.path("event").asText().equals("PromotionRequested")) {
                assertFalse(Instant.parse(step.path("at").asText()).isBefore(selfDemoted.at()), "promotion ordered at "
                        + step.path("at").asText() + ", before the primary was seen demoted at " + selfDemoted.at());
            }
        }
        System.out.println("LabFailoverIT: the partitioned primary was seen demoted at " + selfDemoted.at()
                + ", the standby primary at " + promoted.at());

        String healed = LabControl.request(dir, List.of("heal", "primary"), ANSWER_WITHIN);
        assertTrue(healed.contains("healed (partition)"), healed);
        await("the returning primary takes the failover's demotion").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> zfsGet("zsentinel:generation", "primary/vm1").equals("2"));

        assertOnePrimaryServing();
    }

    @Test
    void withTheFenceHookAFrozenPrimaryIsPoweredOffAndTheStandbyServesBeforeTheLeaseWouldHaveLapsed() throws Exception {
        startLabAndSampler(true);
        readyToFailOver();

        sampler.paused("primary", true); // frozen, then powered off: its copy's role is not looked at meanwhile
        String frozen = LabControl.request(dir, List.of("fault", "primary", "freeze"), ANSWER_WITHIN);
        assertTrue(frozen.contains("frozen"), frozen);
        await("the standby serves vm1").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> service().path("service").path("primary").asText().equals("standby"));

        assertFalse(lab.agent("primary").alive(), "the fence hook powered the frozen server off: its agent was killed");
        assertFalse(RUNNER.run(List.of("zpool", "list", "primary"), ANSWER_WITHIN).succeeded(),
                "the fence hook powered the frozen server off: its pool is exported");
        Instant lastHeartbeat = Instant.parse(server("primary").path("lastHeartbeat").asText());
        List<String> events = new ArrayList<>();
        Instant fencedAt = null;
        for (JsonNode step : steps()) {
            String event = step.path("event").asText();
            Instant at = Instant.parse(step.path("at").asText());
            events.add(event);
            if (event.equals("PrimaryFenced")) {
                String text = step.path("text").asText();
                assertTrue(text.contains("the fence hook succeeded") && text.contains("primary is off"), text);
                fencedAt = at;
            }
            if (event.equals("PromotionRequested")) {
                assertTrue(fencedAt != null && !at.isBefore(fencedAt), "promotion before the fence: " + events);
                assertTrue(at.isBefore(lastHeartbeat.plus(LEASE_AND_MARGIN)), "promoted at " + at + ", not before the"
                        + " lease (last heartbeat " + lastHeartbeat + " + " + LEASE_AND_MARGIN + ") would have lapsed");
            }
        }
        assertTrue(events.contains("ServiceSwitched"), events.toString());

        // powered on again: its pool is imported at boot, before its agent runs and takes the failover's demotion; the
        // copy is the generation-1 primary meanwhile (not served: its demote hook ran), measured, not counted
        Instant poweredOn = Instant.now();
        String healed = LabControl.request(dir, List.of("heal", "primary"), ANSWER_WITHIN);
        assertTrue(healed.contains("healed (crash)"), healed); // a fenced server comes back as from a crash
        await("the powered-on primary takes the failover's demotion").atMost(MINUTES).pollInterval(Duration.ofMillis(200))
                .until(() -> zfsGet("zsentinel:generation", "primary/vm1").equals("2"));
        printWindow(poweredOn);
        sampler.paused("primary", false);
        assertOnePrimaryServing();
    }

    /**
     * A pool fault under a live agent: the failover's demotion reaches primary while its pool is gone and is refused;
     * when the pool is imported again (heal), the controller orders it again and the copy becomes a replica at
     * generation 2. Between the import and that demotion the copy is still the primary of generation 1 (its demote
     * hook has already run): that window is measured and printed, and the sampler does not count primary meanwhile.
     */
    @Test
    void aPoolFailedPrimaryWhosePoolComesBackIsDemotedByTheFailoversOrderGivenAgain() throws Exception {
        startLabAndSampler();
        readyToFailOver();

        String failed = LabControl.request(dir, List.of("fault", "primary", "pool"), ANSWER_WITHIN);
        assertTrue(failed.contains("pool failed"), failed);
        await("the standby serves vm1").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> service().path("service").path("primary").asText().equals("standby"));
        await("the demotion refused while the pool is gone").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> Files.readString(lab.agent("primary").logFile()).contains("rejected DemoteDataset"));

        sampler.paused("primary", true);
        Instant healing = Instant.now();
        String healed = LabControl.request(dir, List.of("heal", "primary"), ANSWER_WITHIN);
        assertTrue(healed.contains("healed (pool)"), healed);
        await("the copy imported again is demoted").atMost(MINUTES).pollInterval(Duration.ofMillis(200))
                .until(() -> zfsGet("zsentinel:generation", "primary/vm1").equals("2")
                        && zfsGet("zsentinel:role", "primary/vm1").equals("replica"));
        await("the demotion recorded").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> events(steps()).contains("FormerPrimaryDemoted"));
        printWindow(healing);
        sampler.paused("primary", false);
        assertOnePrimaryServing();
    }

    /** Stood down by its own lease, or demoted by the controller: either way it takes no writes. */
    private static boolean readOnly(String role) {
        return "replica".equals(role) || "stood-down".equals(role);
    }

    /**
     * How long after {@code since} the former primary's copy, back, was still the writable primary: until it was seen
     * read-only (stood down by its agent at start, or demoted), and until the controller's demotion.
     */
    private void printWindow(Instant since) {
        java.util.function.Predicate<ServiceRoleSampler.Sample> replica = s -> s.at().isAfter(since)
                && "replica".equals(s.roles().get("primary"));
        java.util.function.Predicate<ServiceRoleSampler.Sample> readOnly = s -> s.at().isAfter(since)
                && readOnly(s.roles().get("primary"));
        // the sampler's next look, not the test's zfs get, is what sees the demotion here (it may look later)
        await("the sampler saw the demotion").atMost(MINUTES).pollInterval(Duration.ofMillis(200))
                .until(() -> sampler.first(replica).isPresent());
        ServiceRoleSampler.Sample demoted = sampler.first(replica).orElseThrow();
        ServiceRoleSampler.Sample back = sampler.first(s -> s.at().isAfter(since) && s.roles().containsKey("primary"))
                .orElseThrow();
        ServiceRoleSampler.Sample stopped = sampler.first(readOnly).orElseThrow();
        System.out.println("LabFailoverIT: primary/vm1 was seen again at " + back + ", read-only ("
                + stopped.roles().get("primary") + ") " + Duration.between(back.at(), stopped.at()).toMillis()
                + " ms later, demoted " + Duration.between(back.at(), demoted.at()).toMillis() + " ms later");
    }

    private static List<String> events(JsonNode steps) {
        List<String> events = new ArrayList<>();
        steps.forEach(step -> events.add(step.path("event").asText()));
        return events;
    }

    private void startLabAndSampler() throws IOException {
        startLabAndSampler(false);
    }

    private void startLabAndSampler(boolean fence) throws IOException {
        waitForLabPoolNames();
        lab = Lab.start(new Lab.Options(dir, false, 0, 0, fence));
        sampler = new ServiceRoleSampler(RUNNER, Lab.SERVICE, List.of("primary", "standby")).start();
    }

    /**
     * The lab's pools have fixed names: a lab of another run (a developer's, another test's) owns them while it runs,
     * and this one waits for it; a leftover of a killed run, whose file is gone, is destroyed.
     */
    private void waitForLabPoolNames() {
        for (String server : Lab.SERVERS) {
            await("no other lab's pool " + server).atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(5))
                    .until(() -> {
                        CommandResult status = RUNNER.run(List.of("zpool", "status", server), ANSWER_WITHIN);
                        if (!status.succeeded()) {
                            return true;
                        }
                        Matcher file = Pattern.compile("(/\\S+\\.img)").matcher(status.stdout());
                        if (file.find() && !Files.exists(Path.of(file.group(1)))) {
                            RUNNER.run(List.of("zpool", "destroy", "-f", server), ANSWER_WITHIN);
                        }
                        return false;
                    });
        }
    }

    /** A record written and snapshotted on the primary, on the standby, and both servers healthy, serving. */
    private void readyToFailOver() throws Exception {
        assertEquals("primary", zfsGet("zsentinel:role", "primary/vm1"), "the lab marks its first primary");
        assertEquals("1", zfsGet("zsentinel:generation", "primary/vm1"));
        Path mounted = Path.of(zfsGet("mountpoint", "primary/vm1"));
        Files.writeString(mounted.resolve("records.log"), "record 1\n");
        run("zfs", "snapshot", "primary/vm1@before-fault");
        await("the snapshot on the standby").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> RUNNER.run(List.of("zfs", "list", "-H", "-o", "name", "standby/vm1@before-fault"),
                        ANSWER_WITHIN).succeeded());
        await("vm1 served, primary and standby healthy").atMost(MINUTES).pollInterval(Duration.ofSeconds(1))
                .until(() -> service().path("service").path("state").asText().equals("serving")
                        && server("primary").path("health").asText().equals("healthy")
                        && server("standby").path("health").asText().equals("healthy"));
    }

    /**
     * The failover's PrimaryFenced step is by lease, lapsing no earlier than the primary's last heartbeat plus the lease
     * and its margin, and comes before every promotion; returns when it was recorded.
     */
    private Instant assertFencedByLeaseBeforeAnyPromotion(Instant lastHeartbeat) throws Exception {
        List<String> events = new ArrayList<>();
        Instant fencedAt = null;
        for (JsonNode step : steps()) {
            String event = step.path("event").asText();
            events.add(event);
            Instant at = Instant.parse(step.path("at").asText());
            if (event.equals("PrimaryFenced")) {
                String text = step.path("text").asText();
                assertTrue(text.contains("by its lapsed lease"), text);
                Matcher lapses = LAPSES_AT.matcher(text);
                assertTrue(lapses.find(), text);
                Instant lapsesAt = Instant.parse(lapses.group(1));
                assertFalse(lapsesAt.isBefore(lastHeartbeat.plus(LEASE_AND_MARGIN)), "the lease lapses at " + lapsesAt
                        + ", not before the last heartbeat " + lastHeartbeat + " + " + LEASE_AND_MARGIN);
                assertFalse(at.isBefore(lapsesAt), "fenced at " + at + ", before its lease lapsed at " + lapsesAt);
                fencedAt = at;
            }
            if (event.equals("PromotionRequested") || event.equals("DatasetPromoted")) {
                assertTrue(fencedAt != null && !at.isBefore(fencedAt), event + " at " + at + " before the fence: " + events);
            }
        }
        assertTrue(fencedAt != null && events.contains("DatasetPromoted") && events.contains("ServiceSwitched"), events.toString());
        return fencedAt;
    }

    /**
     * The end of every run: the controller says standby serves at generation 2; its copy is the primary there and takes
     * writes, the former primary's copy is a replica at generation 2 and refuses them; and no look of the sampler
     * ever saw two servers serving vm1 as its writable primary.
     */
    private void assertOnePrimaryServing() throws Exception {
        JsonNode row = service().path("service");
        assertEquals("standby", row.path("primary").asText(), row.toString());
        assertEquals(2, row.path("generation").asLong(), row.toString());
        assertEquals("primary", zfsGet("zsentinel:role", "standby/vm1"));
        assertEquals("2", zfsGet("zsentinel:generation", "standby/vm1"));
        assertEquals("replica", zfsGet("zsentinel:role", "primary/vm1"));
        Path served = Path.of(zfsGet("mountpoint", "standby/vm1"));
        assertEquals("record 1\n", Files.readString(served.resolve("records.log")), "the replicated record");
        Files.writeString(served.resolve("after-failover.log"), "written on the new primary\n");
        Path former = Path.of(zfsGet("mountpoint", "primary/vm1"));
        assertThrows(IOException.class, () -> Files.writeString(former.resolve("late-write.log"), "x"),
                "the former primary takes no writes");
        sampler.close();
        List<ServiceRoleSampler.Sample> samples = sampler.samples();
        assertTrue(samples.size() > 100, "the sampler looked all along: " + samples.size() + " looks");
        assertEquals(List.of(), sampler.doublePrimaries(), "two servers were the writable primary of vm1 at once");
        System.out.println("LabFailoverIT: " + samples.size() + " looks from " + samples.get(0).at() + " to "
                + samples.get(samples.size() - 1).at() + ", never two writable primaries");
    }

    /**
     * A promotion of primary/vm1 at generation 1 (the one the lab started with), as the controller sends orders: what a
     * controller that missed the failover, or a delayed message, would order.
     */
    private UUID sendStalePromotion() throws IOException {
        String agentYaml = Files.readString(dir.resolve("agents").resolve("primary.yaml"));
        Matcher bootstrap = Pattern.compile("bootstrap: \"([^\"]+)\"").matcher(agentYaml);
        assertTrue(bootstrap.find(), agentYaml);
        UUID id = UUID.randomUUID();
        // epoch 1: the controller's (Controller.EPOCH); an older epoch would be refused for that reason instead
        PromoteDataset stale = new PromoteDataset(id, new ServerId("primary"), 1, DatasetName.of("primary").child("vm1"),
                Lab.SERVICE, 1, null);
        MessageTypes types = CoreMessages.types();
        MessageTypes.Type type = types.of(PromoteDataset.class);
        Envelope<AgentCommand> envelope = new Envelope<>(id, type.name(), type.version(), Instant.now(), "controller", stale);
        try (MessagePublisher publisher = MessagePublisher.create(bootstrap.group(1))) {
            publisher.publishAndWait(Topics.defaults().agentCommands(), "primary", new EnvelopeCodec(types).encode(envelope));
        }
        return id;
    }

    private JsonNode steps() throws Exception {
        return service().path("failovers").get(0).path("steps");
    }

    private JsonNode service() throws Exception {
        return JSON.readTree(get("/api/services/vm1"));
    }

    private JsonNode server(String server) throws Exception {
        for (JsonNode row : JSON.readTree(get("/api/servers"))) {
            if (row.path("server").asText().equals(server)) {
                return row;
            }
        }
        return JSON.createObjectNode();
    }

    private String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(lab.dashboard() + path.substring(1))).GET()
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String zfsGet(String property, String dataset) {
        return run("zfs", "get", "-H", "-o", "value", property, dataset).strip();
    }

    private static String run(String... argv) {
        CommandResult result = RUNNER.run(List.of(argv), ANSWER_WITHIN);
        assertTrue(result.succeeded(), String.join(" ", argv) + ": " + result.errorText());
        return result.stdout();
    }
}
