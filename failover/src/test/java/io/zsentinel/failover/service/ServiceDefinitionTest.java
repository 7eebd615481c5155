package io.zsentinel.failover.service;

import io.zsentinel.core.values.Hook;
import io.zsentinel.core.values.DatasetGlob;
import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.ServiceName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceDefinitionTest {
    static final ServerId P = ServerId.of("storage-01");
    static final ServerId S1 = ServerId.of("standby-01");
    static final ServerId S2 = ServerId.of("standby-02");

    static ServiceDefinition service(String name, String glob, ServerId primary, List<ServerId> standbys) {
        return new ServiceDefinition(ServiceName.of(name), DatasetGlob.of(glob), primary, standbys, null, null, null, null);
    }

    @Test
    void standbysInPreferenceOrderAndDefaults() {
        ServiceDefinition s = service("vm-storage", "tank/vm*", P, List.of(S2, S1));
        assertEquals(Optional.of(1), s.preferenceOf(S2));
        assertEquals(Optional.of(2), s.preferenceOf(S1));
        assertEquals(Optional.empty(), s.preferenceOf(P));
        assertEquals(Duration.ofMinutes(15), s.maxDataLoss());
        assertTrue(s.serves(DatasetName.of("tank/vm1")));
        assertFalse(s.serves(DatasetName.of("tank/vm1/disk0")), "* stops at /");
        assertFalse(s.serves(DatasetName.of("tank/db")));
    }

    @Test
    void refusesWhatCannotFailOver() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> service("a", "tank/*", P, List.of(P, S1)))
                .getMessage().contains("cannot also be its standby"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> service("a", "tank/*", P, List.of(S1, S1)))
                .getMessage().contains("names a server twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> service("a", "tank/*", P, List.of()))
                .getMessage().contains("at least one server"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ServiceDefinition(ServiceName.of("a"),
                DatasetGlob.of("tank/*"), P, List.of(S1), Duration.ZERO, null, null, null)).getMessage().contains("maxDataLoss"));
        assertThrows(IllegalArgumentException.class, () -> ServiceName.of("vm storage"));
    }

    @Test
    void hooksAreArgumentListsWithABoundedTimeout() {
        assertEquals(Hook.DEFAULT_TIMEOUT, new Hook(List.of("/bin/fence"), null).timeout());
        assertEquals("/bin/fence", new Hook(List.of("/bin/fence", "--hard"), Duration.ofSeconds(5)).program());
        assertThrows(IllegalArgumentException.class, () -> new Hook(List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new Hook(List.of(" "), null));
        assertThrows(IllegalArgumentException.class, () -> new Hook(Arrays.asList("/bin/fence", null), null));
        assertThrows(IllegalArgumentException.class, () -> new Hook(List.of("/bin/fence"), Duration.ofMinutes(6)));
        assertThrows(IllegalArgumentException.class, () -> new Hook(List.of("/bin/fence"), Duration.ZERO));
    }

    @Test
    void theCatalogueRefusesTwoServicesOfOneNameOrOneDataset() {
        ServiceDefinition vm = service("vm", "tank/vm*", P, List.of(S1));
        assertThrows(ServiceCatalogue.ServiceConflict.class,
                () -> new ServiceCatalogue(List.of(vm, service("vm", "tank/db", P, List.of(S1)))));
        ServiceCatalogue.ServiceConflict overlap = assertThrows(ServiceCatalogue.ServiceConflict.class,
                () -> new ServiceCatalogue(List.of(vm, service("vm1", "tank/vm1", P, List.of(S1)))));
        assertEquals(ServiceName.of("vm1"), overlap.service());
        assertThrows(ServiceCatalogue.ServiceConflict.class,
                () -> new ServiceCatalogue(List.of(service("all", "tank/**", P, List.of(S1)), vm)));
        ServiceCatalogue ok = new ServiceCatalogue(List.of(vm, service("db", "tank/db", P, List.of(S1)),
                service("vm-b", "tank/vm*", S2, List.of(S1))));
        assertEquals(2, ok.primaryOf(P).size(), "the same pattern on another primary is another service");
    }

    @Test
    void aPatternCoversAnotherWhenItMatchesItReadAsAName() {
        assertTrue(DatasetGlob.of("tank/vm*").coveredBy(DatasetGlob.of("tank/vm*")));
        assertTrue(DatasetGlob.of("tank/vm*").coveredBy(DatasetGlob.of("tank/**")));
        assertTrue(DatasetGlob.of("tank/vm1").coveredBy(DatasetGlob.of("tank/vm*")));
        assertFalse(DatasetGlob.of("tank/vm*").coveredBy(DatasetGlob.of("tank/vm1")));
        assertFalse(DatasetGlob.of("tank/**").coveredBy(DatasetGlob.of("tank/*")));
        assertFalse(DatasetGlob.of("tank/vm*").coveredBy(DatasetGlob.of("backup/**")));
        assertFalse(DatasetGlob.of("tank/vm*").coveredBy(DatasetGlob.of("tank/vm?")), "? is one character, * any");
        assertTrue(DatasetGlob.of("tank/vm?").coveredBy(DatasetGlob.of("tank/vm*")));
        assertTrue(DatasetGlob.of("tank/a/**").coveredBy(DatasetGlob.of("tank/**")));
    }
}
