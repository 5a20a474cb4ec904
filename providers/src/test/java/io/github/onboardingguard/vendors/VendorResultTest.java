package io.github.onboardingguard.vendors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Vendor result: the vendor-neutral shape, and what it may stand in for")
class VendorResultTest {

    private static Map<String, Object> approved() {
        Map<String, Object> json = new HashMap<>();
        json.put("caseId", "c-1");
        json.put("status", "approved");
        json.put(
                "document",
                Map.of(
                        "type",
                        "ID_CARD",
                        "issuingCountry",
                        "FR",
                        "numberLastChars",
                        "K4X9",
                        "expiryDate",
                        "2031-05-31"));
        json.put("names", Map.of("givenName", "Ada", "familyName", "Lovelace"));
        json.put("vendorReference", "inq_1");
        json.put("liveness", "PASSED");
        json.put("faceMatch", "PASSED");
        return json;
    }

    @Test
    @DisplayName("an approved result with passed checks approves the document and the person; a failed or missing "
            + "check narrows it, a decline approves nothing")
    void standsInFor() {
        VendorResult result = VendorResult.parse(approved());
        assertThat(result.documentApproved()).isTrue();
        assertThat(result.personApproved()).isTrue();
        assertThat(result.checklist("acme"))
                .containsEntry("givenName", "Ada")
                .containsEntry("documentType", "ID_CARD")
                .containsEntry("vendor", "acme");

        Map<String, Object> noLiveness = approved();
        noLiveness.remove("liveness");
        assertThat(VendorResult.parse(noLiveness).documentApproved()).isTrue();
        assertThat(VendorResult.parse(noLiveness).personApproved()).isFalse();
        Map<String, Object> failedFace = approved();
        failedFace.put("faceMatch", "FAILED");
        assertThat(VendorResult.parse(failedFace).documentApproved()).isFalse();
        Map<String, Object> noNumber = approved();
        noNumber.put("document", Map.of("type", "ID_CARD", "issuingCountry", "FR", "expiryDate", "2031-05-31"));
        assertThat(VendorResult.parse(noNumber).documentApproved())
                .as("no number to hold a later recovery's document against")
                .isFalse();
        Map<String, Object> declined = approved();
        declined.put("status", "DECLINED");
        declined.remove("names");
        assertThat(VendorResult.parse(declined).documentApproved()).isFalse();
    }

    @Test
    @DisplayName("an approved result needs the document and the names; unknown fields and bad values are refused")
    void badInput() {
        Map<String, Object> noDocument = approved();
        noDocument.remove("document");
        assertThatThrownBy(() -> VendorResult.parse(noDocument)).hasMessageStartingWith("document.type:");
        Map<String, Object> badType = approved();
        badType.put("document", Map.of("type", "LIBRARY_CARD", "issuingCountry", "FR"));
        assertThatThrownBy(() -> VendorResult.parse(badType)).hasMessageStartingWith("document.type:");
        Map<String, Object> nestedExtra = approved();
        nestedExtra.put("names", Map.of("givenName", "A", "familyName", "B", "birthDate", "1990-01-01"));
        assertThatThrownBy(() -> VendorResult.parse(nestedExtra)).hasMessageStartingWith("names.birthDate:");
        Map<String, Object> badTime = approved();
        badTime.put("checkedAt", "yesterday");
        assertThatThrownBy(() -> VendorResult.parse(badTime)).hasMessageStartingWith("checkedAt:");
        Map<String, Object> number = approved();
        number.put("vendorReference", 42);
        assertThatThrownBy(() -> VendorResult.parse(number)).hasMessageStartingWith("vendorReference:");
    }
}
