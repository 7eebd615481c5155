package io.zsentinel.failover.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The rules (deciders, state) import neither Axon nor Kafka nor processes; only the aggregate shells do. */
class LayeringTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.zsentinel.failover");

    @Test
    void decidersAreFrameworkFree() {
        noClasses().that().haveSimpleNameEndingWith("Decider").or().haveSimpleNameEndingWith("State")
                .should().dependOnClassesThat().resideInAnyPackage("org.axonframework..", "org.apache.kafka..")
                .orShould().dependOnClassesThat().belongToAnyOf(Process.class, ProcessBuilder.class)
                .check(classes);
    }
}
