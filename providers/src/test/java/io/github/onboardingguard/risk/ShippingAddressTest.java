package io.github.onboardingguard.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Shipping address: one building however it is typed")
class ShippingAddressTest {

    private static ShippingAddress address(String line1, String line2, String postalCode, String country) {
        Map<String, String> fields = new HashMap<>();
        fields.put("line1", line1);
        fields.put("line2", line2);
        fields.put("postalCode", postalCode);
        fields.put("city", "Springfield");
        fields.put("country", country);
        return ShippingAddress.of(fields);
    }

    @Test
    @DisplayName("case, punctuation, abbreviations, flat numbers and postal-code spacing do not make another building")
    void spellingsOfOneBuilding() {
        ShippingAddress plain = address("12 Main Street", null, "62704", "US");
        assertThat(address("12 main st.", "Apt. 4", "62704", "us").key()).isEqualTo(plain.key());
        assertThat(address("12 MAIN ST #4", null, " 62704 ", "US").key()).isEqualTo(plain.key());
        assertThat(address("Apartment 7, 12 Main St", null, "62704", "US").key())
                .isEqualTo(plain.key());
        assertThat(plain.building()).isEqualTo("US|62704|12 main st");
        assertThat(address("Hauptstraße 5", null, "10115", "DE").key())
                .isEqualTo(address("Hauptstr. 5", "Whg 3", "10 115", "DE").key())
                .isEqualTo(address("HAUPTSTRASSE 5", null, "10115", "DE").key());
        assertThat(address("Sw 1st Ave 10", null, "EC1A 1BB", "GB").key())
                .isEqualTo(address("SW 1st Avenue 10", null, "ec1a1bb", "GB").key());
    }

    @Test
    @DisplayName("tricks of a farm that wants its addresses apart: invisible characters, full-width digits, "
            + "lettered or glued flats, a flat before the number, a split street word, ZIP+4")
    void evasions() {
        String plain = address("12 Main Street", null, "62704", "US").key();
        assertThat(address("12 Ma\u200Bin Stre\u00ADet", null, "62704", "US").key())
                .isEqualTo(plain);
        assertThat(address("\uFF11\uFF12 Main Street", null, "62704", "US").key())
                .isEqualTo(plain);
        assertThat(address("12 Main Street Apt B", null, "62704", "US").key()).isEqualTo(plain);
        assertThat(address("12 Main Street apt2b", null, "62704", "US").key()).isEqualTo(plain);
        assertThat(address("2/12 Main Street", null, "62704", "US").key()).isEqualTo(plain);
        assertThat(address("12 Main Street", null, "62704-1234", "US").key()).isEqualTo(plain);
        assertThat(address("Haupt Str. 5", null, "10115", "DE").key())
                .isEqualTo(address("Hauptstraße 5", null, "10115", "DE").key());
        assertThat(address("Wald Weg 3", null, "10115", "DE").key())
                .isEqualTo(address("Waldweg 3", null, "10115", "DE").key());
        assertThat(address("No. 12 Main Street", null, "62704", "US").key())
                .as("'No.' names the house number, which stays")
                .isNotEqualTo(address("No. 14 Main Street", null, "62704", "US").key());
    }

    @Test
    @DisplayName("another number, street, postal code or country is another building")
    void otherBuildings() {
        ShippingAddress plain = address("12 Main Street", null, "62704", "US");
        assertThat(address("14 Main Street", null, "62704", "US").key()).isNotEqualTo(plain.key());
        assertThat(address("12 Elm Street", null, "62704", "US").key()).isNotEqualTo(plain.key());
        assertThat(address("12 Main Street", null, "62705", "US").key()).isNotEqualTo(plain.key());
        assertThat(address("12 Main Street", null, "62704", "CA").key()).isNotEqualTo(plain.key());
        assertThat(plain.key()).hasSize(64);
    }

    @Test
    @DisplayName("street and country are required, a postal code or a city, and nothing else is accepted")
    void badInput() {
        assertThatThrownBy(() -> ShippingAddress.of(Map.of("country", "US", "city", "X")))
                .hasMessageStartingWith("line1:");
        assertThatThrownBy(() -> ShippingAddress.of(Map.of("line1", "1 A St", "country", "USA", "city", "X")))
                .hasMessageStartingWith("country:");
        assertThatThrownBy(() -> ShippingAddress.of(Map.of("line1", "1 A St", "country", "US")))
                .hasMessageStartingWith("postalCode:");
        assertThatThrownBy(() -> ShippingAddress.of(Map.of("line1", "1 A St", "country", "US", "zip", "1")))
                .hasMessageStartingWith("zip:");
        assertThatThrownBy(() -> ShippingAddress.of(Map.of("line1", "x".repeat(201), "country", "US", "city", "X")))
                .hasMessageStartingWith("line1:");
        assertThatThrownBy(() -> ShippingAddress.of(Map.of("line1", "--", "country", "US", "city", "X")))
                .hasMessageStartingWith("line1:");
    }
}
