package io.zsentinel.core.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The rule every module with deciders checks (Kafka's import-control, as an ArchUnit test): the
 * rules ({@code *Decider}, {@code *State}) import neither Axon nor Kafka nor processes; only the
 * aggregate shells and adapters do.
 */
public final class DeciderLayering {
    private DeciderLayering() {
    }

    public static void check(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        noClasses().that().haveSimpleNameEndingWith("Decider").or().haveSimpleNameEndingWith("State")
                .should().dependOnClassesThat().resideInAnyPackage("org.axonframework..", "org.apache.kafka..")
                .orShould().dependOnClassesThat().belongToAnyOf(Process.class, ProcessBuilder.class)
                .check(classes);
    }
}
