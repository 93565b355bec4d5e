package dev.northstar.feedback;

import dev.northstar.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void domainIsFreeOfFrameworks() {
        ArchitectureRules.checkDomainOf("dev.northstar.feedback");
    }
}
