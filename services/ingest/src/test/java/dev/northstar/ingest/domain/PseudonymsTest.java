package dev.northstar.ingest.domain;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PseudonymsTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef-test-key";

    @Test
    void the_same_id_in_the_same_project_is_always_the_same_pseudonym_and_nothing_of_the_id_shows() {
        var pseudonyms = new Pseudonyms(KEY);
        String alice = pseudonyms.of("shop", "alice@example.com");
        assertThat(alice).startsWith(Pseudonyms.PREFIX).hasSize(Pseudonyms.PREFIX.length() + 22)
                .doesNotContain("alice").matches("ps_[A-Za-z0-9_-]{22}");
        assertThat(new Pseudonyms(KEY).of("shop", "alice@example.com")).as("another instance, same key").isEqualTo(alice);
        assertThat(pseudonyms.of("blog", "alice@example.com")).as("another project").isNotEqualTo(alice);
        assertThat(new Pseudonyms(KEY + "-other").of("shop", "alice@example.com")).as("another key").isNotEqualTo(alice);
        assertThat(pseudonyms.of("shop", null)).isNull();
    }

    @Test
    void distinct_ids_stay_distinct() {
        var pseudonyms = new Pseudonyms(KEY);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            seen.add(pseudonyms.of("shop", "user-" + i));
        }
        assertThat(seen).hasSize(200_000);
    }

    @Test
    void a_short_key_is_refused_naming_the_setting() {
        assertThatThrownBy(() -> new Pseudonyms("too-short")).hasMessageContaining("NORTHSTAR_PSEUDONYM_KEY")
                .hasMessageContaining("32 bytes");
    }
}
