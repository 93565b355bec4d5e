package dev.northstar.notifier;

import dev.northstar.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void domainIsFreeOfFrameworksAndUseCasesOfHttp() {
        ArchitectureRules.check("dev.northstar.notifier");
    }
}
