package io.github.onboardingguard.risk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Country header values")
class CountryCodesTest {

    @ParameterizedTest(name = "{0} is a country")
    @ValueSource(strings = {"DE", "NL", "US", "BR"})
    void countries(String value) {
        assertThat(CountryCodes.isCountry(value)).isTrue();
    }

    @ParameterizedTest(name = "''{0}'' is not")
    @ValueSource(strings = {"T1", "XX", "ZZ", "EU", "AP", "D", "DEU", "de", "D1", "", "NOT-A-COUNTRY"})
    void notCountries(String value) {
        assertThat(CountryCodes.isCountry(value)).isFalse();
    }
}
