package io.github.onboardingguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.testsupport.AuditExportTool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The hashed form is RFC 8785, and the stand-alone verifier agrees with the server byte for byte")
class OfflineVerifierTest {

    private static final String REALM_ID = "5f0c2a4e-realm";
    /** Every kind of character the spelling treats differently. */
    private static final String AWKWARD =
            "quote \" backslash \\ newline \n tab \t backspace \b formfeed \f unit \u001f "
                    + "delete \u007f accent é line-separator \u2028 emoji \uD83D\uDE00 slash /";

    @Test
    @DisplayName(
            "strings use the shortest RFC 8785 escapes; other control characters lower-case \\u escapes; the rest as is")
    void rfc8785Strings() {
        assertThat(CanonicalJson.write(List.of("\b\f\n\r\t\"\\", "\u0001\u001f", "é\u2028/")))
                .isEqualTo("[\"\\b\\f\\n\\r\\t\\\"\\\\\",\"\\u0001\\u001f\",\"é\u2028/\"]");
        assertThat(CanonicalJson.write(Map.of("b", 1, "a", List.of(), "é", true, "Z", "z")))
                .isEqualTo("{\"Z\":\"z\",\"a\":[],\"b\":1,\"é\":true}");
    }

    @Test
    @DisplayName(
            "a chain of awkward entries, one hashed in the spelling of earlier releases, verifies on the server and offline")
    void toolAgrees() {
        List<AuditRecord> chain = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        for (int seq = 1; seq <= 4; seq++) {
            String details = CanonicalJson.write(Map.of("text", AWKWARD + seq, "n", seq));
            String actor = seq == 2 ? "ädmin \b" : "system:risk";
            AuditRecord unhashed = new AuditRecord(
                    REALM_ID,
                    seq,
                    1_795_900_000_000L + seq,
                    actor,
                    seq == 3 ? null : "user-" + seq,
                    "test.awkward",
                    details,
                    previous,
                    null);
            String hash = seq == 2
                    ? AuditChain.hash(previous, unhashed.legacyCanonical())
                    : AuditChain.hash(previous, unhashed.canonical());
            chain.add(new AuditRecord(
                    REALM_ID, seq, unhashed.at(), actor, unhashed.subject(), unhashed.type(), details, previous, hash));
            previous = hash;
        }
        assertThat(chain.get(1).legacyCanonical()).isNotEqualTo(chain.get(1).canonical());
        assertThat(AuditChain.verify(chain.iterator(), 1, AuditChain.GENESIS).valid())
                .isTrue();

        String export = export(chain, Map.of("seq", 4, "hash", previous));
        AuditExportTool.Outcome outcome = AuditExportTool.verify(export);
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();

        AuditExportTool.Outcome changed = AuditExportTool.verify(export.replace("slash /3", "slash !3"));
        assertThat(changed.exitCode()).as(changed.output()).isEqualTo(1);
        assertThat(changed.output()).contains("BROKEN at seq 3: HASH_MISMATCH");
    }

    /** The lines AuditExport writes, and its head line. */
    private static String export(List<AuditRecord> chain, Map<String, Object> head) {
        StringBuilder out = new StringBuilder();
        for (AuditRecord entry : chain) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("realm", "demo");
            line.put("seq", entry.seq());
            line.put("actor", entry.actor());
            line.put("subject", entry.subject());
            line.put("type", entry.type());
            line.put("details", entry.details());
            line.put("prevHash", entry.prevHash());
            line.put("hash", entry.hash());
            line.put("realmId", entry.realmId());
            line.put("atMillis", entry.at());
            out.append(CanonicalJson.write(line)).append('\n');
        }
        return out.append(CanonicalJson.write(Map.of("realm", "demo", "head", head)))
                .append('\n')
                .toString();
    }
}
