package dev.northstar.model.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build gate: no change may break data or producers of a published version. Each message's
 * published schema is kept under {@code src/test/resources/compat/<major>/}; the current schema
 * must accept everything the published one did. Additive changes pass (refresh the baseline with
 * {@code -Dnorthstar.compat.write=true} to publish them); a breaking change fails here and must
 * come as a new major version: a new record, a new topic suffix, a new baseline folder.
 */
class SchemaEvolutionTest {

    private static final Path BASELINES = Path.of("src/test/resources/compat");

    static List<PublishedMessages.Message> messages() {
        return PublishedMessages.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void currentSchemaStillAcceptsWhatThePublishedVersionDid(PublishedMessages.Message message) throws IOException {
        JsonNode current = message.current().get();
        Path baseline = BASELINES.resolve(message.baseline());
        if (Boolean.getBoolean("northstar.compat.write")) {
            Files.createDirectories(baseline.getParent());
            NorthstarJson.mapper().writerWithDefaultPrettyPrinter().writeValue(baseline.toFile(), current);
        }
        assertThat(baseline).as("every published message keeps a baseline; write it with -Dnorthstar.compat.write=true")
                .exists();
        JsonNode published = NorthstarJson.mapper().readTree(baseline.toFile());

        assertThat(CompatibilityGate.breakingChanges(published, current)).as(message.baseline()).isEmpty();
    }
}
