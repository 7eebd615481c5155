package io.zsentinel.core.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

import java.util.List;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The rules every domain module checks (Kafka's import-control, as an ArchUnit test), by package, so that a
 * new class is covered wherever it lands and whatever its name:
 * <ul>
 * <li>Only the Axon shells depend on Axon: the aggregates (classes named {@code *Aggregate}, with their nested
 *     classes) and whatever sits in an {@code axon} package (sagas, upcasters); the messages of an {@code api}
 *     package carry no more of Axon than {@code @TargetAggregateIdentifier}. Everything else — deciders,
 *     states, rules, schedules, their ports — is plain Java.</li>
 * <li>Nothing depends on Kafka, JDBC, the network, files, processes, threads or executors (core's Kafka and
 *     zfs packages included), nor reads the system clock: time is passed in, or read from an injected
 *     {@link java.time.Clock}.</li>
 * <li>Nothing depends on the modules built on top: deploy and projections.</li>
 * </ul>
 */
public final class DeciderLayering {
    private DeciderLayering() {
    }

    /** Checks every rule on the main classes of {@code rootPackage} (e.g. {@code io.zsentinel.replication}). */
    public static void check(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
        CompositeArchRule.of(rules(rootPackage)).check(classes); // every violation at once
    }

    /** The rules for {@code rootPackage}, to check on classes imported by the caller. */
    public static List<ArchRule> rules(String rootPackage) {
        String root = rootPackage + "..";
        DescribedPredicate<JavaClass> axon = resideInAPackage("org.axonframework..").as("belong to Axon");
        return List.of(
                noClasses().that().resideInAPackage(root).and(not(axonShell()))
                        .and().resideOutsideOfPackage(rootPackage + ".api..")
                        .should().dependOnClassesThat(axon)
                        .because("only aggregates and an axon package are Axon shells; rules are plain Java"),
                noClasses().that().resideInAPackage(rootPackage + ".api..")
                        .should().dependOnClassesThat(axon.and(not(name(
                                "org.axonframework.modelling.command.TargetAggregateIdentifier"))))
                        .because("messages carry no more of Axon than the routing annotation"),
                noClasses().that().resideInAPackage(root)
                        .should().dependOnClassesThat(resideInAnyPackage("org.apache.kafka..", "io.zsentinel.core.kafka..",
                                "io.zsentinel.core.zfs..", "io.zsentinel.core.hooks..", "java.sql..", "javax.sql..", "org.postgresql..", "java.net..",
                                "java.nio.file..", "java.nio.channels..", "com.sun.net.httpserver..")
                                .as("belong to Kafka, zfs, JDBC, the network or files"))
                        .orShould().dependOnClassesThat(belongToAnyOf(Process.class, ProcessBuilder.class, Runtime.class,
                                Thread.class, ThreadGroup.class, java.util.Timer.class, java.util.concurrent.Executor.class,
                                java.util.concurrent.ExecutorService.class,
                                java.util.concurrent.ScheduledExecutorService.class, java.util.concurrent.Executors.class,
                                java.util.concurrent.ForkJoinPool.class, java.util.concurrent.CompletableFuture.class)
                                .as("are processes, threads or executors"))
                        .because("the domain decides; the runtime that ticks, waits and does I/O lives in deploy"),
                noClasses().that().resideInAPackage(root)
                        .should().accessTargetWhere(readsTheSystemClock())
                        .because("time is passed in (or read from an injected Clock), so that tests set it"),
                noClasses().that().resideInAPackage(root)
                        .should().dependOnClassesThat(resideInAnyPackage("io.zsentinel.deploy..",
                                "io.zsentinel.projections..").as("belong to deploy or projections"))
                        .because("the domain is what those are built on"));
    }

    /** An aggregate, nested classes and lambdas included, or a class of an {@code axon} package. */
    static DescribedPredicate<JavaClass> axonShell() {
        return DescribedPredicate.describe("an Axon shell (an *Aggregate or in an axon package)",
                c -> topLevel(c).getSimpleName().endsWith("Aggregate") || c.getPackageName().matches("(.*\\.)?axon(\\..*)?"));
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }

    /**
     * {@code Instant.now()}, {@code LocalDate.now(zone)}, {@code Clock.systemUTC()}, {@code System.currentTimeMillis()}
     * and the like, called or referenced; {@code now(clock)} on an injected clock is fine.
     */
    static DescribedPredicate<JavaAccess<?>> readsTheSystemClock() {
        return DescribedPredicate.describe("read the system clock", access -> {
            String owner = access.getTargetOwner().getName();
            String method = access.getName();
            if (owner.startsWith("java.time.") && method.equals("now")) {
                return !(access.getTarget() instanceof AccessTarget.CodeUnitAccessTarget target
                        && target.getRawParameterTypes().size() == 1
                        && target.getRawParameterTypes().get(0).isAssignableTo(java.time.Clock.class));
            }
            return owner.equals("java.time.Clock") && method.startsWith("system")
                    || owner.equals("java.lang.System") && (method.equals("currentTimeMillis") || method.equals("nanoTime"));
        });
    }
}
