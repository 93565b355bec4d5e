package dev.northstar.registry;

import dev.northstar.model.project.ProjectEvent;
import dev.northstar.model.topic.Topics;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Every instance reading the projects topic in order ends with the same registry, whoever wrote what. */
class ProjectRegistryTest {

    private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

    private record Registration(ProjectEvent.ProjectRegistered event, String recordKey, String writeKey) {
    }

    private static Registration registration(String project, String replaces) {
        var write = ProjectKeys.issue(KeyRole.WRITE);
        var read = ProjectKeys.issue(KeyRole.READ);
        var event = new ProjectEvent.ProjectRegistered(project, project, write.hash(), read.hash(), AT, replaces);
        return new Registration(event, Topics.registrationKey(project, write.hash().keyId()), write.key());
    }

    @Test
    void theFirstCreationOfAnIdIsTheProjectAndALaterOneIsRefusedWhateverItsKeys() {
        var registry = new ProjectRegistry();
        var first = registration("shop", null);
        var second = registration("shop", null);

        assertThat(registry.apply(first.recordKey(), first.event())).isEqualTo(ProjectRegistry.Outcome.APPLIED);
        assertThat(registry.apply(second.recordKey(), second.event())).isEqualTo(ProjectRegistry.Outcome.REFUSED);
        assertThat(registry.apply(first.recordKey(), first.event())).isEqualTo(ProjectRegistry.Outcome.ALREADY_APPLIED);

        assertThat(registry.authenticate(first.writeKey(), KeyRole.WRITE)).contains("shop");
        assertThat(registry.authenticate(second.writeKey(), KeyRole.WRITE)).isEmpty();
        assertThat(registry.recordKeyOf("shop")).contains(first.recordKey());
    }

    @Test
    void aRotationCountsOnlyIfItReplacesTheCurrentKeysSoOfTwoConcurrentRotationsTheFirstWins() {
        var registry = new ProjectRegistry();
        var created = registration("shop", null);
        registry.apply(created.recordKey(), created.event());
        String currentKeyId = created.event().writeKey().keyId();
        var rotation = registration("shop", currentKeyId);
        var concurrent = registration("shop", currentKeyId);

        assertThat(registry.apply(rotation.recordKey(), rotation.event())).isEqualTo(ProjectRegistry.Outcome.APPLIED);
        assertThat(registry.apply(concurrent.recordKey(), concurrent.event())).isEqualTo(ProjectRegistry.Outcome.REFUSED);

        assertThat(registry.authenticate(rotation.writeKey(), KeyRole.WRITE)).contains("shop");
        assertThat(registry.authenticate(created.writeKey(), KeyRole.WRITE)).isEmpty();
        assertThat(registry.authenticate(concurrent.writeKey(), KeyRole.WRITE)).isEmpty();
    }

    @Test
    void afterCompactionRemovedTheReplacedRecordTheRotationAloneIsTheProject() {
        var registry = new ProjectRegistry();
        var rotation = registration("shop", "wk_gone");

        assertThat(registry.apply(rotation.recordKey(), rotation.event())).isEqualTo(ProjectRegistry.Outcome.APPLIED);
        assertThat(registry.authenticate(rotation.writeKey(), KeyRole.WRITE)).contains("shop");
    }

    @Test
    void recordsKeyedByTheBareProjectIdKeepTheirOldMeaningTheLatestWins() {
        var registry = new ProjectRegistry();
        var before = registration("shop", null);
        var rotatedTheOldWay = registration("shop", null);

        registry.apply("shop", before.event());
        assertThat(registry.apply("shop", rotatedTheOldWay.event())).isEqualTo(ProjectRegistry.Outcome.APPLIED);

        assertThat(registry.authenticate(rotatedTheOldWay.writeKey(), KeyRole.WRITE)).contains("shop");
        assertThat(registry.authenticate(before.writeKey(), KeyRole.WRITE)).isEmpty();
        assertThat(registry.recordKeyOf("shop")).contains("shop");
    }

    @Test
    void theLatestDeclarationOfAFeatureCountsATombstoneRemovesItAndSettingsDefaultToOpen() {
        var registry = new ProjectRegistry();
        var export = new ProjectEvent.FeatureDeclared("shop", "export", "Export", "CSV export", "data-team",
                java.time.LocalDate.parse("2026-10-01"), ProjectEvent.FeatureStatus.BETA, AT);
        var exportGa = new ProjectEvent.FeatureDeclared("shop", "export", "Export", "CSV export", "data-team",
                java.time.LocalDate.parse("2026-10-01"), ProjectEvent.FeatureStatus.GA, AT.plusSeconds(60));
        var search = new ProjectEvent.FeatureDeclared("shop", "search", "Search", null, null, null, null, AT);
        registry.apply(Topics.declarationKey("shop", "search"), search);
        registry.apply(Topics.declarationKey("shop", "export"), export);
        registry.apply(Topics.declarationKey("shop", "export"), exportGa);
        assertThat(registry.declaredFeatures("shop")).containsExactly(exportGa, search);
        assertThat(registry.declared("shop", "export")).contains(exportGa);
        // keyed unlike its body: not taken
        assertThat(registry.apply(Topics.declarationKey("shop", "other"), search)).isEqualTo(ProjectRegistry.Outcome.REFUSED);

        registry.remove(Topics.declarationKey("shop", "search"));
        registry.remove(Topics.registrationKey("shop", "k1")); // a retraction: nothing to remove
        assertThat(registry.declaredFeatures("shop")).containsExactly(exportGa);
        assertThat(registry.declaredFeatures("elsewhere")).isEmpty();

        assertThat(registry.catalogueMode("shop")).isEqualTo(ProjectEvent.CatalogueMode.OPEN);
        registry.apply(Topics.settingsKey("shop"), new ProjectEvent.SettingsChanged("shop", ProjectEvent.CatalogueMode.STRICT, AT));
        assertThat(registry.catalogueMode("shop")).isEqualTo(ProjectEvent.CatalogueMode.STRICT);
        registry.apply(Topics.settingsKey("shop"), new ProjectEvent.SettingsChanged("shop", ProjectEvent.CatalogueMode.OPEN, AT));
        assertThat(registry.catalogueMode("shop")).isEqualTo(ProjectEvent.CatalogueMode.OPEN);
    }
}
