package io.github.onboardingguard.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CountryRangesTest {

    private static final CountryRanges RANGES = CountryRanges.parse(List.of(
            "# address/prefix,country",
            "203.0.113.0/24, nl",
            "198.51.0.0/16,BR",
            "198.51.100.0/24,AR",
            "",
            "2001:db8::/32,DE"));

    @Test
    @DisplayName("the most specific range wins, for IPv4 and IPv6")
    void lookup() {
        assertThat(RANGES.lookup("203.0.113.9")).contains("NL");
        assertThat(RANGES.lookup("198.51.7.1")).contains("BR");
        assertThat(RANGES.lookup("198.51.100.1")).contains("AR");
        assertThat(RANGES.lookup("::ffff:198.51.100.1")).contains("AR");
        assertThat(RANGES.lookup("2001:db8:1::5")).contains("DE");
        assertThat(RANGES.lookup("192.0.2.1")).isEmpty();
        assertThat(RANGES.size()).isEqualTo(4);
    }

    @Test
    @DisplayName("names are never resolved; bad lines are refused with their number")
    void strict() {
        assertThat(RANGES.lookup("localhost")).isEmpty();
        assertThat(RANGES.lookup("example.com")).isEmpty();
        assertThat(RANGES.lookup(null)).isEmpty();
        assertThatThrownBy(() -> CountryRanges.parse(List.of("10.0.0.0/8,DE", "10.0.0.0/33,FR")))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> CountryRanges.parse(List.of("example.com/24,DE")))
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> CountryRanges.parse(List.of("10.0.0.0/8,Germany")))
                .hasMessageContaining("line 1");
    }
}
