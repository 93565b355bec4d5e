package dev.northstar.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency rules every service checks in one test, as buckpal's do: its {@code domain} is
 * plain Java, free of Quarkus, Kafka, Jackson, CDI and JAX-RS, so the rules stay testable and
 * portable; its {@code application} (use cases) knows no adapter and no HTTP: commands in, domain
 * values and {@code Refused} out, turned into problem+json by one mapper.
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

    /** Empty where a service has no application layer (a signal service is a ledger on the engine). */
    public static ArchRule applicationIsFreeOfAdaptersAndHttp(String servicePackage) {
        return noClasses().that().resideInAPackage(servicePackage + ".application..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        servicePackage + ".adapter..", "jakarta.ws.rs..", "org.jboss.resteasy..", "io.vertx..",
                        "dev.northstar.platform.problem..", "org.eclipse.microprofile.openapi..")
                .as("the application layer of " + servicePackage + " knows no adapter and no HTTP")
                .allowEmptyShould(true);
    }

    /** Checks the rules against the service's production classes. */
    public static void check(String servicePackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage);
        domainIsFrameworkFree(servicePackage).check(classes);
        applicationIsFreeOfAdaptersAndHttp(servicePackage).check(classes);
    }
}
