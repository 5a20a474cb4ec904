package io.github.onboardingguard.risk;

import static io.github.onboardingguard.risk.PasskeyBinding.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Passkey binding: which logins count as the bound passkey's")
class PasskeyBindingTest {

    private static final byte[] BOUND = {(byte) 0xfb, (byte) 0xff, 0x01, 0x3e, 0x7f, 0x00, 0x10};
    private static final String STORED = Base64.getEncoder().encodeToString(BOUND);
    private static final String REPORTED =
            Base64.getUrlEncoder().withoutPadding().encodeToString(BOUND);

    @Test
    @DisplayName("the bound passkey counts, whether its id comes as base64 or base64url")
    void boundPasskey() {
        assertThat(STORED).contains("+").contains("/").endsWith("=");
        assertThat(check("passkey", REPORTED, STORED)).isEmpty();
        assertThat(check("passkey", STORED, STORED)).isEmpty();
    }

    @Test
    @DisplayName("another passkey, or any passkey once the bound one is gone, does not")
    void otherPasskey() {
        String other = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7});
        assertThat(check("passkey", other, STORED)).contains(PasskeyBinding.Unbound.OTHER_PASSKEY);
        assertThat(check("passkey", REPORTED, null)).contains(PasskeyBinding.Unbound.OTHER_PASSKEY);
    }

    @Test
    @DisplayName("password, OTP, identity provider or reset logins do not; SSO reuses a checked session")
    void noPasskey() {
        assertThat(check("other", null, STORED)).contains(PasskeyBinding.Unbound.NOT_A_PASSKEY);
        assertThat(check("sso", null, STORED)).isEmpty();
    }

    @Test
    @DisplayName("on an SSO login the event's passkey id is one registered during it, not one that signed in")
    void passkeyRegisteredOnSsoSession() {
        String registered = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {9, 9, 9});
        assertThat(check("sso", registered, STORED)).isEmpty();
        assertThat(check("other", registered, STORED)).contains(PasskeyBinding.Unbound.NOT_A_PASSKEY);
    }

    @Test
    @DisplayName("a login no gate saw is flagged: nothing says how it proved who it is")
    void noGate() {
        assertThat(check(null, null, STORED)).contains(PasskeyBinding.Unbound.UNKNOWN_METHOD);
        assertThat(PasskeyBinding.Unbound.UNKNOWN_METHOD.code()).isEqualTo("unknown_method");
    }
}
