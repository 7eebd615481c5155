package io.zsentinel.deploy.controller;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The controller starts no process and calls no zfs: what runs zfs is the agent's, a module the controller
 * does not depend on (Maven keeps it off this class path; this keeps the JDK's process API and core's
 * zfs driver out too).
 */
class ControllerBoundaryTest {
    private final JavaClasses controller = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.zsentinel.deploy");

    @Test
    void startsNoProcessAndCallsNoZfs() {
        noClasses().should().dependOnClassesThat().belongToAnyOf(Process.class, ProcessBuilder.class)
                .orShould().dependOnClassesThat().resideInAnyPackage("io.zsentinel.core.zfs..")
                .check(controller);
    }
}
