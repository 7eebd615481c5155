package io.zsentinel.failover.architecture;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.zsentinel.core.architecture.DeciderLayering;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class LayeringTest {
    @Test
    void decidersAreFrameworkFree() {
        DeciderLayering.check("io.zsentinel.failover");
    }

    /** The failover saga (issue 11) builds on the detector's verdicts; the rule itself stays pure. */
    @Test
    void theFailureDetectorIsFrameworkFree() {
        noClasses().that().resideInAPackage("io.zsentinel.failover.detect..")
                .should().dependOnClassesThat().resideInAnyPackage("org.axonframework..", "org.apache.kafka..")
                .orShould().dependOnClassesThat().belongToAnyOf(Process.class, ProcessBuilder.class)
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.zsentinel.failover.detect"));
    }
}
