package io.github.onboardingguard.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.webhooks.StandardWebhooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RiskSettingsTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    @DisplayName("defaults fit a company onboarding remote engineers")
    void defaults() {
        RiskSettings settings = RiskSettings.defaults();
        assertThat(settings.rule(RiskRule.CONTACT_CHANGE).action()).isEqualTo(RiskAction.REVERIFY);
        assertThat(settings.rule(RiskRule.SHARED_ADDRESS).count("accounts")).isEqualTo(3);
        assertThat(settings.rule(RiskRule.COUNTRY_NOT_ALLOWED).on()).isFalse();
        assertThat(settings.monitorVerifiedDays()).isEqualTo(30);
    }

    @Test
    @DisplayName("rule lines override action and parameters, and survive a round trip")
    void parseAndRoundTrip() {
        List<String> problems = new ArrayList<>();
        RiskSettings settings = RiskSettings.parse(
                Map.of(
                        "riskRules",
                        List.of(
                                "country_hop=SUSPEND window=PT6H##shared_address=LOG accounts=5",
                                "country_not_allowed=ALERT allowed=DE|AT")),
                problems);
        assertThat(problems).isEmpty();
        assertThat(settings.rule(RiskRule.COUNTRY_HOP).action()).isEqualTo(RiskAction.SUSPEND);
        assertThat(settings.rule(RiskRule.COUNTRY_HOP).window()).hasHours(6);
        assertThat(settings.rule(RiskRule.SHARED_ADDRESS).count("accounts")).isEqualTo(5);
        assertThat(settings.rule(RiskRule.SHARED_ADDRESS).window()).hasDays(1);
        assertThat(settings.rule(RiskRule.COUNTRY_NOT_ALLOWED).list("allowed")).containsExactly("DE", "AT");
        assertThat(RiskSettings.parse(settings.toSettings(), new ArrayList<>())).isEqualTo(settings);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "riskRules|teleport=ALERT|unknown rule",
                "riskRules|country_hop|needs an action",
                "riskRules|country_hop=PANIC|unknown action",
                "riskRules|country_hop=ALERT window=forever|ISO-8601 duration",
                "riskRules|country_hop=ALERT window=PT10S|between 1 minute and 30 days",
                "riskRules|shared_address=ALERT accounts=1|between 2 and 1000",
                "riskRules|shared_address=ALERT colour=red|no parameter",
                "riskRules|session_context_change=ALERT network=sometimes|network must be true or false",
                "riskRules|country_not_allowed=ALERT|needs allowed",
                "riskRules|country_not_allowed=ALERT allowed=Germany|ISO 3166",
                "riskMonitorVerifiedDays|400|between 0 and 365",
                "riskCountryHeader|X Country|header name",
                "riskSecurityEmail|security|email address"
            })
    @DisplayName("malformed settings are refused with a message naming them")
    void refuses(String key, String value, String message) {
        List<String> problems = new ArrayList<>();
        RiskSettings.parse(Map.of(key, List.of(value)), problems);
        assertThat(problems)
                .anySatisfy(problem -> assertThat(problem).contains(key).contains(message));
    }

    @Test
    @DisplayName("signatures match the Standard Webhooks reference example")
    void signature() {
        assertThat(StandardWebhooks.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    @DisplayName("addresses group into /24 and /64 networks; names are never resolved")
    void addressPrefix() {
        assertThat(AddressPrefix.of("198.51.100.7")).isEqualTo("198.51.100.0/24");
        assertThat(AddressPrefix.of("::ffff:198.51.100.7")).isEqualTo("198.51.100.0/24");
        assertThat(AddressPrefix.of("2001:db8:0:1:aaaa::1")).isEqualTo("2001:db8:0:1::/64");
        assertThat(AddressPrefix.of("2001:db8::1")).isEqualTo("2001:db8:0:0::/64");
        assertThat(AddressPrefix.of("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
        assertThat(AddressPrefix.of("300.1.1.1")).isNull();
        assertThat(AddressPrefix.of("example.com")).isNull();
        assertThat(AddressPrefix.of(null)).isNull();
    }
}
