package io.zsentinel.deploy.failover;

import io.zsentinel.core.messages.agentcommands.PromoteDataset;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ServiceName;
import io.zsentinel.failover.service.ServiceCatalogue;
import io.zsentinel.failover.service.ServiceDefinition;
import io.zsentinel.projections.service.ServiceRow;
import io.zsentinel.replication.api.DatasetId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A first primary's datasets are marked primary at generation 1, once each per run, and nothing else is. */
class PrimaryClaimsTest {
    static final ServiceName VM = ServiceName.of("vm");
    static final ServerId PRIMARY = ServerId.of("primary");
    static final ServerId STANDBY = ServerId.of("standby");
    static final DatasetId VM1 = new DatasetId(PRIMARY, DatasetName.of("primary/vm1"));
    static final DatasetId DB = new DatasetId(PRIMARY, DatasetName.of("primary/db"));
    static final DatasetId COPY = new DatasetId(STANDBY, DatasetName.of("standby/vm1"));
    static final ServiceCatalogue SERVICES = new ServiceCatalogue(List.of(new ServiceDefinition(VM,
            DatasetGlob.of("primary/vm*"), PRIMARY, List.of(STANDBY), null, null, null, null)));

    final List<PromoteDataset> sent = new ArrayList<>();
    final List<DatasetId> inventory = new ArrayList<>(List.of(VM1, DB, COPY));
    ServiceRow row = row(1, ServiceRow.SERVING);
    boolean failing;

    static ServiceRow row(long generation, String state) {
        return new ServiceRow(VM, PRIMARY, List.of(STANDBY), generation, state, null, null, null, null, null);
    }

    final PrimaryClaims claims = new PrimaryClaims(SERVICES, () -> List.of(row), () -> inventory, c -> {
        if (failing) {
            throw new IllegalStateException("broker down");
        }
        sent.add(c);
    }, 7);

    @Test
    void theFirstPrimarysDatasetsOfTheServiceAreMarkedOnceEach() {
        claims.claim();
        claims.claim();
        assertEquals(1, sent.size(), sent.toString());
        PromoteDataset mark = sent.get(0);
        assertEquals(List.of(PRIMARY, VM1.dataset(), 1L, "vm", 7L), List.of(mark.server(), mark.dataset(), mark.generation(),
                mark.service(), mark.epoch()));
        assertEquals(null, mark.rollbackTo(), "a mark rolls nothing back");

        DatasetId vm2 = new DatasetId(PRIMARY, DatasetName.of("primary/vm2"));
        inventory.add(vm2);
        claims.claim();
        assertEquals(vm2.dataset(), sent.get(1).dataset(), "a dataset created later is marked too");
    }

    @Test
    void aServiceThatFailedOverOrIsFailingOverIsNotMarked() {
        row = row(2, ServiceRow.SERVING);
        claims.claim();
        row = row(1, ServiceRow.FAILING_OVER);
        claims.claim();
        assertEquals(List.of(), sent);
    }

    @Test
    void aMarkThatCouldNotBeSentIsSentAtTheNextCall() {
        failing = true;
        claims.claim();
        failing = false;
        claims.claim();
        assertEquals(1, sent.size());
    }
}
