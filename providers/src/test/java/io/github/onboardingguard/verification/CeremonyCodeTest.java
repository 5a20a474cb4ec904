package io.github.onboardingguard.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CeremonyCodeTest {

    @Test
    @DisplayName("a code is six digits, kept only as a salted hash that matches it and nothing else")
    void issueAndMatch() {
        CeremonyCode.Issued issued = CeremonyCode.issue();
        assertThat(issued.code()).matches("\\d{6}");
        assertThat(issued.hash()).hasSize(64).doesNotContain(issued.code());
        assertThat(CeremonyCode.matches(issued.salt(), issued.hash(), issued.code()))
                .isTrue();
        assertThat(CeremonyCode.matches(issued.salt(), issued.hash(), CeremonyCode.grouped(issued.code())))
                .isTrue();
        String other = issued.code().equals("000000") ? "000001" : "000000";
        assertThat(CeremonyCode.matches(issued.salt(), issued.hash(), other)).isFalse();
        assertThat(issued.toString()).doesNotContain(issued.code());
    }

    @Test
    @DisplayName("the same code under two salts gives two hashes")
    void salted() {
        assertThat(CeremonyCode.hash("salt-a", "123456")).isNotEqualTo(CeremonyCode.hash("salt-b", "123456"));
    }

    @Test
    @DisplayName("anything but six digits is not a code")
    void normalize() {
        assertThat(CeremonyCode.normalize("123 456")).isEqualTo("123456");
        assertThat(CeremonyCode.normalize("123-456")).isEqualTo("123456");
        assertThat(CeremonyCode.normalize("12345")).isNull();
        assertThat(CeremonyCode.normalize("1234567")).isNull();
        assertThat(CeremonyCode.normalize("12a456")).isNull();
        assertThat(CeremonyCode.normalize("١٢٣٤٥٦")).as("non-ASCII digits").isNull();
        assertThat(CeremonyCode.normalize(null)).isNull();
        assertThat(CeremonyCode.matches("s", CeremonyCode.hash("s", "123456"), null))
                .isFalse();
    }

    @Test
    @DisplayName("codes are spread over the whole range")
    void random() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(CeremonyCode.issue().code());
        }
        assertThat(seen).hasSizeGreaterThan(190);
    }
}
