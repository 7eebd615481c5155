package io.zsentinel.deploy.replication;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.deploy.config.LinkRule;
import io.zsentinel.deploy.config.ReplicationConfig;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.RejoinCompleted;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.api.link.LinkId;
import io.zsentinel.replication.api.link.PauseLink;
import io.zsentinel.replication.schedule.ConfiguredLink;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, replication re-planned after a failover: the translation of ServiceSwitched and the configured links into
 * the links to plan, to keep and to pause. The lab's layout: primary/vm* to the standby every 10 s and to the offsite
 * DC every 5 minutes (and, in some cases, to a second standby).
 */
class FailoverLinksTest {
    static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final ServerId STANDBY2 = ServerId.of("standby2");
    static final ServerId OFFSITE = ServerId.of("offsite");
    static final DatasetId P_VM1 = id(PRIMARY, "primary/vm1");
    static final DatasetId P_VM2 = id(PRIMARY, "primary/vm2");
    static final DatasetId S_VM1 = id(STANDBY, "standby/vm1");
    static final DatasetId S2_VM1 = id(STANDBY2, "standby2/vm1");
    static final DatasetId O_VM1 = id(OFFSITE, "offsite/vm1");
    static final LinkRule TO_STANDBY = new LinkRule("primary/vm*", "primary", "standby", "standby", "10s", null);
    static final LinkRule TO_OFFSITE = new LinkRule("primary/vm*", "primary", "offsite", "offsite", "5m", null);
    static final LinkRule TO_STANDBY2 = new LinkRule("primary/vm*", "primary", "standby2", "standby2", "1m", null);
    static final ServiceName VM = ServiceName.of("vm");

    final List<ServiceSwitched> switches = new ArrayList<>();
    final List<RejoinCompleted> rejoins = new ArrayList<>();

    static DatasetId id(ServerId server, String dataset) {
        return new DatasetId(server, DatasetName.of(dataset));
    }

    static ServiceSwitched switched(ServerId from, ServerId to, long generation, String... datasets) {
        return new ServiceSwitched(VM, new FailoverId(new UUID(0, generation)), from, to, generation,
                List.of(datasets).stream().map(DatasetName::of).toList(), T0.plusSeconds(generation));
    }

    FailoverLinks links(LinkRule... rules) {
        return new FailoverLinks(LinkScheduler.configured(new ReplicationConfig(null, List.of(rules))),
                () -> List.copyOf(switches), () -> List.copyOf(rejoins));
    }

    static List<LinkId> ids(List<ConfiguredLink> links) {
        return links.stream().map(ConfiguredLink::link).toList();
    }

    @Test
    void beforeAnyFailoverTheLinksAreTheConfiguredOnes() {
        FailoverLinks links = links(TO_STANDBY, TO_OFFSITE);
        assertEquals(List.of(new LinkId(P_VM1, S_VM1), new LinkId(P_VM1, O_VM1)), ids(links.linksFrom(P_VM1)));
        assertEquals(links.linksFrom(P_VM1), links.keptFrom(P_VM1));
        assertEquals(List.of(), links.linksFrom(S_VM1), "a copy replicates nowhere");
        assertEquals(List.of(), links.pauses(List.of(new LinkId(P_VM1, S_VM1)), T0));
    }

    @Test
    void theNewPrimaryReplicatesToTheRemainingTargetsAtTheirIntervalAndNotBackToTheFormerPrimary() {
        FailoverLinks links = links(TO_STANDBY, TO_OFFSITE);
        switches.add(switched(PRIMARY, STANDBY, 2, "primary/vm1"));

        assertEquals(List.of(new ConfiguredLink(new LinkId(S_VM1, O_VM1), Duration.ofMinutes(5))), links.linksFrom(S_VM1),
                "standby → offsite, the offsite link's interval; no standby → primary");
        assertEquals(links.linksFrom(S_VM1), links.keptFrom(S_VM1));
    }

    @Test
    void aRejoinedFormerPrimaryReceivesFromTheNewPrimaryAndSendsNothingItself() {
        FailoverLinks links = links(TO_STANDBY, TO_OFFSITE);
        switches.add(switched(PRIMARY, STANDBY, 2, "primary/vm1"));
        assertEquals(java.util.Optional.of(S_VM1), links.copyOn(P_VM1, STANDBY));
        rejoins.add(new RejoinCompleted(VM, PRIMARY, STANDBY, 2, List.of(new RejoinCompleted.Rejoined(
                P_VM1.dataset(), S_VM1.dataset())), T0.plusSeconds(60)));

        assertEquals(List.of(new ConfiguredLink(new LinkId(S_VM1, O_VM1), Duration.ofMinutes(5)),
                new ConfiguredLink(new LinkId(S_VM1, P_VM1), Duration.ofSeconds(10))), links.linksFrom(S_VM1),
                "standby → primary at the interval of the link that made the copy");
        assertEquals(List.of(), links.linksFrom(P_VM1), "a rejoined replica sends nothing");
        assertTrue(links.supersededBy(P_VM1).isPresent(), "its own links stay paused");

        rejoins.add(new RejoinCompleted(VM, STANDBY, PRIMARY, 9, List.of(), T0)); // another generation: no effect
        assertEquals(2, links.linksFrom(S_VM1).size());
    }

    @Test
    void theFormerPrimarysLinksAreNotPlannedButKeptSoTheyAreNotRetired() {
        FailoverLinks links = links(TO_STANDBY, TO_OFFSITE);
        switches.add(switched(PRIMARY, STANDBY, 2, "primary/vm1"));

        assertEquals(List.of(), links.linksFrom(P_VM1));
        assertEquals(List.of(new LinkId(P_VM1, S_VM1), new LinkId(P_VM1, O_VM1)), ids(links.keptFrom(P_VM1)));
        assertEquals(2, links.linksFrom(P_VM2).size(), "a dataset the failover did not switch replicates as before");
        assertTrue(links.supersededBy(P_VM1).isPresent());
        assertTrue(links.supersededBy(P_VM2).isEmpty());
    }

    @Test
    void eachKnownLinkFromTheFormerPrimarysSwitchedDatasetsIsPausedNamingTheFailover() {
        ServiceSwitched w = switched(PRIMARY, STANDBY, 2, "primary/vm1");
        List<LinkId> known = List.of(new LinkId(P_VM1, S_VM1), new LinkId(P_VM1, O_VM1),
                new LinkId(P_VM2, id(OFFSITE, "offsite/vm2")), new LinkId(S_VM1, O_VM1));

        switches.add(w);
        List<PauseLink> pauses = links(TO_STANDBY, TO_OFFSITE).pauses(known, T0);

        assertEquals(List.of(new LinkId(P_VM1, S_VM1), new LinkId(P_VM1, O_VM1)),
                pauses.stream().map(PauseLink::linkId).toList());
        for (PauseLink p : pauses) {
            assertEquals(FailoverLinks.OPERATOR, p.operator());
            assertEquals(T0, p.at());
            assertTrue(p.reason().contains("failover " + w.failover()) && p.reason().contains("service vm"), p.reason());
            assertTrue(p.reason().contains("primary no longer serves it (standby does, at generation 2)"), p.reason());
        }
    }

    @Test
    void aRuleThatWouldSendTheNewPrimarysCopyBackToTheFormerPrimaryMakesNoLinkWhileItIsOut() {
        LinkRule back = new LinkRule("standby/vm*", "standby", "primary", "primary", "1m", null);
        FailoverLinks links = links(TO_STANDBY, TO_OFFSITE, back);
        assertEquals(1, links.linksFrom(S_VM1).size(), "configured, before the failover");
        switches.add(switched(PRIMARY, STANDBY, 2, "primary/vm1"));
        assertEquals(List.of(new LinkId(S_VM1, O_VM1)), ids(links.linksFrom(S_VM1)));
    }

    @Test
    void aSecondFailoverMovesTheSuccessorLinksOn() {
        FailoverLinks links = links(TO_STANDBY, TO_STANDBY2, TO_OFFSITE);
        switches.add(switched(PRIMARY, STANDBY, 2, "primary/vm1"));
        assertEquals(List.of(new LinkId(S_VM1, S2_VM1), new LinkId(S_VM1, O_VM1)), ids(links.linksFrom(S_VM1)));

        switches.add(switched(STANDBY, STANDBY2, 3, "standby/vm1"));
        assertEquals(List.of(), links.linksFrom(S_VM1));
        assertEquals(List.of(new LinkId(S_VM1, S2_VM1), new LinkId(S_VM1, O_VM1)), ids(links.keptFrom(S_VM1)));
        assertEquals(List.of(new LinkId(S2_VM1, O_VM1)), ids(links.linksFrom(S2_VM1)),
                "to the offsite; neither back to standby nor to the first primary, which is still out");
        assertEquals(List.of(), links.linksFrom(P_VM1), "the first primary stays out");
    }

    @Test
    void aSwitchBackToTheFormerPrimaryEndsItsSupersession() {
        FailoverLinks links = links(TO_STANDBY, TO_OFFSITE);
        switches.add(switched(PRIMARY, STANDBY, 2, "primary/vm1"));
        switches.add(switched(STANDBY, PRIMARY, 3, "standby/vm1"));
        assertEquals(List.of(new LinkId(P_VM1, S_VM1), new LinkId(P_VM1, O_VM1)), ids(links.linksFrom(P_VM1)));
        assertEquals(List.of(), links.linksFrom(S_VM1));
    }

    @Test
    void theNewPrimarysCopySendsAtItsGenerationAndEveryOtherSourceAtNone() {
        FailoverLinks links = links(TO_STANDBY, TO_STANDBY2, TO_OFFSITE);
        assertEquals(0, links.generationOf(S_VM1));
        switches.add(switched(PRIMARY, STANDBY, 2, "primary/vm1"));
        assertEquals(2, links.generationOf(S_VM1));
        assertEquals(0, links.generationOf(P_VM1), "the former primary's orders are fenced by what the targets carry");
        assertEquals(0, links.generationOf(id(STANDBY, "standby/vm2")), "a dataset the failover did not switch");
        switches.add(switched(STANDBY, STANDBY2, 3, "standby/vm1"));
        assertEquals(3, links.generationOf(S2_VM1));
    }

    @Test
    void theNewPrimarysCopyServesInPlaceOfTheFirstPrimarysDatasetAcrossFailovers() {
        FailoverLinks links = links(TO_STANDBY, TO_STANDBY2, TO_OFFSITE);
        assertTrue(links.servesFor(S_VM1).isEmpty());
        switches.add(switched(PRIMARY, STANDBY, 2, "primary/vm1"));
        assertEquals(java.util.Optional.of(P_VM1), links.servesFor(S_VM1));
        assertTrue(links.servesFor(P_VM1).isEmpty() && links.servesFor(S2_VM1).isEmpty() && links.servesFor(O_VM1).isEmpty());
        switches.add(switched(STANDBY, STANDBY2, 3, "standby/vm1"));
        assertEquals(java.util.Optional.of(P_VM1), links.servesFor(S2_VM1), "the dataset the rules name");
        assertTrue(links.servesFor(S_VM1).isEmpty(), "no longer serves");
    }

    @Test
    void theNewPrimarysLinkKeepsTheBandwidthLimitOfTheRuleWhoseCopyItsTargetIs() {
        LinkRule limited = new LinkRule("primary/vm*", "primary", "offsite", "offsite", "5m", "50M");
        ReplicationConfig config = new ReplicationConfig(null, List.of(TO_STANDBY, limited));
        assertEquals(50L << 20, config.ruleFor(new LinkId(S_VM1, O_VM1)).orElseThrow().bandwidthBytesPerSecond());
        assertEquals(TO_STANDBY, config.ruleFor(new LinkId(P_VM1, S_VM1)).orElseThrow());
    }

    @Test
    void aSwitchIsKeptOnceHoweverOftenItIsToldAndForgottenOnAReplay() {
        ServiceSwitches kept = new ServiceSwitches();
        ServiceSwitched second = switched(STANDBY, STANDBY2, 3, "standby/vm1");
        ServiceSwitched first = switched(PRIMARY, STANDBY, 2, "primary/vm1");
        kept.on(second);
        kept.on(first);
        kept.on(first);
        assertEquals(List.of(first, second), kept.all(), "once each, oldest generation first");
        kept.reset();
        assertEquals(List.of(), kept.all());
    }
}
