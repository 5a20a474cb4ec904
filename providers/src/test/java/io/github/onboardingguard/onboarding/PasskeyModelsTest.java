package io.github.onboardingguard.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Company-issued passkeys: which authenticator models may be bound")
class PasskeyModelsTest {

    private static final String KEY = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

    @Test
    @DisplayName("without a list any passkey binds; with one, only a passkey whose reported model is listed")
    void onlyListedModels() {
        assertThat(PasskeyModels.any().refusal(null)).isEmpty();
        PasskeyModels models = OnboardingPolicy.parse(Map.of("passkeyModels", List.of(KEY.toUpperCase())))
                .passkeyModels();
        assertThat(models.refusal(KEY)).isEmpty();
        assertThat(models.refusal("01020304-0506-0708-0102-030405060708"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("not one of"));
        assertThat(models.refusal("00000000-0000-0000-0000-000000000000"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("did not report"));
    }

    @Test
    @DisplayName("entries that are not AAGUIDs are refused when the policy is saved, and the list reads back as saved")
    void strictAndRoundTrips() {
        assertThatThrownBy(() -> OnboardingPolicy.parse(Map.of("passkeyModels", List.of("yubikey"))))
                .hasMessageContaining("'yubikey'");
        assertThatThrownBy(() -> OnboardingPolicy.parse(Map.of("passkeyDeviceBoundOnly", List.of("yes"))))
                .hasMessageContaining("passkeyDeviceBoundOnly");
        OnboardingPolicy saved = OnboardingPolicy.parse(
                Map.of("passkeyModels", List.of(KEY), "passkeyDeviceBoundOnly", List.of("true")));
        assertThat(saved.passkeyModels().deviceBoundOnly()).isTrue();
        assertThat(OnboardingPolicy.parse(saved.toSettings())).isEqualTo(saved);
    }
}
