package io.github.onboardingguard.vendors;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.webhooks.StandardWebhooks;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Signed callbacks: the vendor's signature, recent, over exactly this body")
class SignedCallbackTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OLD_SECRET = "whsec_c2Vjb25kIHNlY3JldCBvZiAyNCBieXRlcyE=";
    private static final Instant NOW = Instant.parse("2026-12-08T09:00:00Z");
    private static final String BODY = "{\"caseId\":\"c-1\",\"status\":\"APPROVED\"}";

    private static SignedCallback.Verdict verify(String id, long timestamp, String signature, String body) {
        return SignedCallback.verify(id, Long.toString(timestamp), signature, body, List.of(SECRET, OLD_SECRET), NOW);
    }

    @Test
    @DisplayName("a signature with either secret of the vendor is accepted, also among several in the header")
    void accepted() {
        long ts = NOW.getEpochSecond();
        assertThat(verify("msg_1", ts, StandardWebhooks.sign(SECRET, "msg_1", ts, BODY), BODY))
                .isEqualTo(SignedCallback.Verdict.ACCEPTED);
        String both = "v1,bm90IGl0 " + StandardWebhooks.sign(OLD_SECRET, "msg_1", ts, BODY);
        assertThat(verify("msg_1", ts, both, BODY)).isEqualTo(SignedCallback.Verdict.ACCEPTED);
    }

    @Test
    @DisplayName("another secret, body, id or timestamp is forged; missing or malformed headers are unsigned")
    void refused() {
        long ts = NOW.getEpochSecond();
        String signed = StandardWebhooks.sign(SECRET, "msg_1", ts, BODY);
        String stranger = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(verify("msg_1", ts, StandardWebhooks.sign(stranger, "msg_1", ts, BODY), BODY))
                .isEqualTo(SignedCallback.Verdict.FORGED);
        assertThat(verify("msg_1", ts, signed, BODY.replace("APPROVED", "DECLINED")))
                .isEqualTo(SignedCallback.Verdict.FORGED);
        assertThat(verify("msg_2", ts, signed, BODY)).isEqualTo(SignedCallback.Verdict.FORGED);
        assertThat(verify("msg_1", ts + 1, signed, BODY)).isEqualTo(SignedCallback.Verdict.FORGED);
        assertThat(SignedCallback.verify(null, "1", signed, BODY, List.of(SECRET), NOW))
                .isEqualTo(SignedCallback.Verdict.UNSIGNED);
        assertThat(SignedCallback.verify("msg_1", "soon", signed, BODY, List.of(SECRET), NOW))
                .isEqualTo(SignedCallback.Verdict.UNSIGNED);
        assertThat(SignedCallback.verify("msg 1\n", Long.toString(ts), signed, BODY, List.of(SECRET), NOW))
                .isEqualTo(SignedCallback.Verdict.UNSIGNED);
    }

    @Test
    @DisplayName("a genuine signature more than five minutes from the server's clock, either way, is stale")
    void stale() {
        for (long ts : new long[] {NOW.getEpochSecond() - 301, NOW.getEpochSecond() + 301}) {
            assertThat(verify("msg_1", ts, StandardWebhooks.sign(SECRET, "msg_1", ts, BODY), BODY))
                    .isEqualTo(SignedCallback.Verdict.STALE);
        }
        long edge = NOW.getEpochSecond() - 300;
        assertThat(verify("msg_1", edge, StandardWebhooks.sign(SECRET, "msg_1", edge, BODY), BODY))
                .isEqualTo(SignedCallback.Verdict.ACCEPTED);
    }
}
