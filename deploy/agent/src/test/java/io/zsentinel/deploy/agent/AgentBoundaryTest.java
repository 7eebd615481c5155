package io.zsentinel.deploy.agent;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * What runs on a storage server serves no HTTP and opens no database: Maven keeps Axon, the PostgreSQL driver
 * and the Kafka server off this module's class path; this keeps the JDK's own HTTP server and JDBC out too.
 */
class AgentBoundaryTest {
    private final JavaClasses agent = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.zsentinel.deploy");

    @Test
    void servesNoHttpAndOpensNoDatabase() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.sun.net.httpserver..", "org.eclipse.jetty..", "java.sql..",
                        "javax.sql..")
                .check(agent);
    }
}
