package dev.northstar.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A browser test: it runs when Debian's {@code chromium} and {@code chromium-driver} are installed
 * and is skipped, saying what to install, when they are not (a fresh machine with JDK and Maven
 * only). With {@code NORTHSTAR_REQUIRE_BROWSER=true} (CI sets it) a missing browser fails the test
 * instead, so the dashboard is tested on every CI run. The same switch as the Kafka container's.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresChromium.Condition.class)
public @interface RequiresChromium {

    String REQUIRE_VARIABLE = "NORTHSTAR_REQUIRE_BROWSER";

    /** The browser binary ({@code -Dnorthstar.chromium} to use another). */
    Path CHROMIUM = Path.of(System.getProperty("northstar.chromium", "/usr/bin/chromium"));

    /** The driver binary ({@code -Dnorthstar.chromedriver} to use another). */
    Path CHROMEDRIVER = Path.of(System.getProperty("northstar.chromedriver", "/usr/bin/chromedriver"));

    /** Decides before anything of the test class starts (no Quarkus app, no broker for a skipped test). */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
            if (installed) {
                return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
            }
            String missing = "Debian's chromium and chromium-driver are not installed (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): apt-get install chromium chromium-driver";
            if (required()) {
                throw new IllegalStateException(REQUIRE_VARIABLE + "=true but " + missing);
            }
            String reason = "Skipped: " + missing + " to run this browser test";
            System.err.println(context.getDisplayName() + ": " + reason);
            return ConditionEvaluationResult.disabled(reason);
        }

        private static boolean required() {
            return Boolean.parseBoolean(System.getProperty(REQUIRE_VARIABLE,
                    System.getenv().getOrDefault(REQUIRE_VARIABLE, "false")));
        }
    }
}
