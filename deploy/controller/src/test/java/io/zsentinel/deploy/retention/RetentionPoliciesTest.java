package io.zsentinel.deploy.retention;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.core.config.ConfigFiles;
import io.zsentinel.deploy.config.ControllerConfig;
import io.zsentinel.deploy.replication.FailoverLinks;
import io.zsentinel.deploy.replication.ServiceSwitches;
import io.zsentinel.failover.api.FailoverId;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.api.ServiceSwitched;
import io.zsentinel.replication.api.DatasetId;
import io.zsentinel.replication.retention.RetentionPolicy;
import io.zsentinel.replication.retention.SnapshotClass;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Copies of replication links are replicas: their link's keep, else their source's policy; never a rule's own. */
class RetentionPoliciesTest {
    static final ServerId PRIMARY = ServerId.of("primary"), STANDBY = ServerId.of("standby"),
            OFFSITE = ServerId.of("offsite");
    static final String YAML = """
            kafka: { bootstrap: "127.0.0.1:9092" }
            retention:
              policies:
                - { match: "tank/vm*", keep: { daily: 7 } }
                - { match: "**", keep: { hourly: 24 } }
            replication:
              links:
                - { match: "tank/vm*", targetServer: standby, targetRoot: standby }
                - { match: "tank/vm*", targetServer: offsite, targetRoot: dr, keep: { daily: 30, monthly: 12 } }
            """;

    static RetentionPolicies policies() {
        ControllerConfig c = ConfigFiles.parse(YAML, "controller.yaml", ControllerConfig.class);
        return new RetentionPolicies(c.retention(), c.replication());
    }

    static DatasetId dataset(ServerId server, String dataset) {
        return new DatasetId(server, DatasetName.of(dataset));
    }

    @Test
    void aRejoinsRescueHasNoPolicyWhateverTheRulesMatch() {
        RetentionPolicies policies = policies();
        assertTrue(policies.policyFor(dataset(PRIMARY, "tank/zsentinel-rescue/vm1-20261202T100000Z")).isEmpty());
        assertTrue(policies.policyFor(dataset(PRIMARY, "tank/zsentinel-rescue")).isEmpty());
        assertTrue(policies.policyFor(dataset(PRIMARY, "tank/other")).isPresent(), "the ** rule still applies");
    }

    @Test
    void theOffsiteCopyKeepsWhatItsLinkSaysAndTakesNothing() {
        RetentionPolicy p = policies().forDataset(OFFSITE, DatasetName.of("dr/vm1")).orElseThrow();
        assertTrue(p.receiveOnly());
        assertEquals(30, p.keep(SnapshotClass.DAILY));
        assertEquals(12, p.keep(SnapshotClass.MONTHLY));
        assertEquals(0, p.keep(SnapshotClass.HOURLY), "the ** rule is not applied to a copy");
    }

    @Test
    void theStandbyCopyMirrorsItsSourcesPolicyOnceTheSourceIsKnown() {
        RetentionPolicies policies = policies();
        assertEquals(Optional.empty(), policies.forDataset(STANDBY, DatasetName.of("standby/vm1")),
                "source unknown yet: no policy rather than the ** rule's (which would take snapshots there)");
        policies.refresh(List.of(dataset(PRIMARY, "tank/vm1"), dataset(STANDBY, "standby/vm1")));
        RetentionPolicy p = policies.forDataset(STANDBY, DatasetName.of("standby/vm1")).orElseThrow();
        assertTrue(p.receiveOnly());
        assertEquals(7, p.keep(SnapshotClass.DAILY));
        RetentionPolicy source = policies.forDataset(PRIMARY, DatasetName.of("tank/vm1")).orElseThrow();
        assertTrue(!source.receiveOnly() && source.keep(SnapshotClass.DAILY) == 7);
        assertEquals(24, policies.forDataset(STANDBY, DatasetName.of("other/x")).orElseThrow().keep(SnapshotClass.HOURLY),
                "a dataset outside every link's target root keeps its own rule");
    }

    /** Issue 11: after a failover the retention policy follows the service; the former primary's dataset is left be. */
    @Test
    void afterAFailoverTheNewPrimarysCopyTakesThePrimarysPolicyAndTheFormerPrimaryNone() {
        ControllerConfig c = ConfigFiles.parse(YAML, "controller.yaml", ControllerConfig.class);
        ServiceSwitches switches = new ServiceSwitches();
        RetentionPolicies policies = new RetentionPolicies(c.retention(), c.replication(),
                FailoverLinks.of(c.replication(), switches));
        policies.refresh(List.of(dataset(PRIMARY, "tank/vm1"), dataset(STANDBY, "standby/vm1")));
        assertTrue(policies.forDataset(STANDBY, DatasetName.of("standby/vm1")).orElseThrow().receiveOnly());

        switches.on(new ServiceSwitched(ServiceName.of("vm"), FailoverId.random(), PRIMARY, STANDBY, 2,
                List.of(DatasetName.of("tank/vm1")), Instant.parse("2026-12-02T07:00:00Z")));

        RetentionPolicy served = policies.forDataset(STANDBY, DatasetName.of("standby/vm1")).orElseThrow();
        assertTrue(!served.receiveOnly() && served.keep(SnapshotClass.DAILY) == 7, "the primary's own policy: it snapshots");
        assertEquals(Optional.empty(), policies.forDataset(PRIMARY, DatasetName.of("tank/vm1")),
                "nothing taken or pruned on the former primary until it is rejoined");
        assertEquals(7, policies.forDataset(PRIMARY, DatasetName.of("tank/vm2")).orElseThrow().keep(SnapshotClass.DAILY),
                "a dataset the failover did not switch");
        assertEquals(30, policies.forDataset(OFFSITE, DatasetName.of("dr/vm1")).orElseThrow().keep(SnapshotClass.DAILY),
                "the offsite copy keeps its link's keep");
    }
}
