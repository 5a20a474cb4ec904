package io.github.onboardingguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static List<AuditRecord> chain(int length) {
        List<AuditRecord> entries = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        for (long seq = 1; seq <= length; seq++) {
            String details = CanonicalJson.write(Map.of("n", seq));
            String hash = AuditChain.hash(previous, "realm-1", seq, 1_000 + seq, "actor", "subject", "type.x", details);
            entries.add(new AuditRecord(
                    "realm-1", seq, 1_000 + seq, "actor", "subject", "type.x", details, previous, hash));
            previous = hash;
        }
        return entries;
    }

    @Test
    @DisplayName("an untouched chain verifies from genesis")
    void valid() {
        AuditChain.Verification result = AuditChain.verify(chain(50).iterator(), 1, AuditChain.GENESIS);
        assertThat(result.valid()).isTrue();
        assertThat(result.checked()).isEqualTo(50);
        assertThat(result.lastSeq()).isEqualTo(50);
    }

    @Test
    @DisplayName("a changed field is reported at its entry as a hash mismatch")
    void changedEntry() {
        List<AuditRecord> entries = chain(10);
        AuditRecord original = entries.get(6);
        entries.set(
                6,
                new AuditRecord(
                        original.realmId(),
                        original.seq(),
                        original.at(),
                        "someone-else",
                        original.subject(),
                        original.type(),
                        original.details(),
                        original.prevHash(),
                        original.hash()));
        AuditChain.Verification result = AuditChain.verify(entries.iterator(), 1, AuditChain.GENESIS);
        assertThat(result.firstBreak()).hasValueSatisfying(broken -> {
            assertThat(broken.seq()).isEqualTo(7);
            assertThat(broken.problem()).isEqualTo(AuditChain.Problem.HASH_MISMATCH);
            assertThat(broken.found()).isEqualTo(original.hash());
        });
    }

    @Test
    @DisplayName("a re-hashed entry breaks the link to the next one")
    void rehashedEntry() {
        List<AuditRecord> entries = chain(10);
        AuditRecord original = entries.get(3);
        String details = CanonicalJson.write(Map.of("n", 999));
        String forged = AuditChain.hash(
                original.prevHash(),
                original.realmId(),
                original.seq(),
                original.at(),
                original.actor(),
                original.subject(),
                original.type(),
                details);
        entries.set(
                3,
                new AuditRecord(
                        original.realmId(),
                        original.seq(),
                        original.at(),
                        original.actor(),
                        original.subject(),
                        original.type(),
                        details,
                        original.prevHash(),
                        forged));
        assertThat(AuditChain.verify(entries.iterator(), 1, AuditChain.GENESIS).firstBreak())
                .hasValueSatisfying(broken -> {
                    assertThat(broken.seq()).isEqualTo(5);
                    assertThat(broken.problem()).isEqualTo(AuditChain.Problem.PREVIOUS_HASH_MISMATCH);
                });
    }

    @Test
    @DisplayName("a removed entry is a gap at its sequence number")
    void removedEntry() {
        List<AuditRecord> entries = chain(10);
        entries.remove(4);
        assertThat(AuditChain.verify(entries.iterator(), 1, AuditChain.GENESIS).firstBreak())
                .hasValueSatisfying(broken -> {
                    assertThat(broken.seq()).isEqualTo(5);
                    assertThat(broken.problem()).isEqualTo(AuditChain.Problem.GAP);
                });
    }

    @Test
    @DisplayName("a range verifies against the hash of the entry before it")
    void range() {
        List<AuditRecord> entries = chain(10);
        assertThat(AuditChain.verify(
                                entries.subList(5, 10).iterator(),
                                6,
                                entries.get(4).hash())
                        .valid())
                .isTrue();
        assertThat(AuditChain.verify(entries.subList(5, 10).iterator(), 6, AuditChain.GENESIS)
                        .valid())
                .isFalse();
    }

    @Test
    @DisplayName("canonical JSON sorts keys at every level and escapes control characters")
    void canonicalJson() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", 2);
        inner.put("a", List.of("x\n", true));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("z", null);
        outer.put("m", inner);
        outer.put("q", "\"quoted\" \\ \u0001");
        assertThat(CanonicalJson.write(outer))
                .isEqualTo("{\"m\":{\"a\":[\"x\\n\",true],\"b\":2},\"q\":\"\\\"quoted\\\" \\\\ \\u0001\",\"z\":null}");
        assertThat(CanonicalJson.write(Map.of("d", 1.5))).isEqualTo("{\"d\":\"1.5\"}");
    }
}
