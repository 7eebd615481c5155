package io.zsentinel.replication.retention;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** Retention is arithmetic on names, txgs and clocks: plain Java, java.time and zsentinel's value types only. */
class RetentionLayeringTest {
    private final JavaClasses retention = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.zsentinel.replication.retention");

    @Test
    void retentionUsesNoFrameworkNoProcessAndNoIo() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.zsentinel.replication.retention", "io.zsentinel.core.values",
                        "java.lang", "java.lang.invoke", "java.lang.runtime", "java.util", "java.util.function",
                        "java.util.regex", "java.util.stream", "java.time", "java.time.format", "java.time.temporal",
                        "java.time.zone")
                .check(retention);
    }
}
