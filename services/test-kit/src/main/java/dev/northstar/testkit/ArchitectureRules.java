package dev.northstar.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The house rule every service checks in one test: its {@code domain} package is plain Java,
 * free of Quarkus, Kafka, Jackson, CDI and JAX-RS, so the rules stay testable and portable.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    public static ArchRule domainIsFrameworkFree(String servicePackage) {
        return noClasses().that().resideInAPackage(servicePackage + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "io.smallrye..", "org.apache.kafka..", "com.fasterxml.jackson..",
                        "jakarta.enterprise..", "jakarta.inject..", "jakarta.ws.rs..", "org.eclipse.microprofile..",
                        "io.vertx..", "io.micrometer..")
                .as("the domain of " + servicePackage + " is free of frameworks")
                .allowEmptyShould(false);
    }

    /** Checks the rule against the service's production classes. */
    public static void checkDomainOf(String servicePackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage);
        domainIsFrameworkFree(servicePackage).check(classes);
    }
}
