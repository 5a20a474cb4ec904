package io.github.onboardingguard.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

/** Calls to /realms/{realm}/onboarding/verifications as a verifier would make them. */
public final class VerifierApi {

    private VerifierApi() {}

    public static String base(String realm) {
        return "/realms/" + realm + "/onboarding/verifications";
    }

    public static Api.Reply open(String realm, String token, String caseId, String step, String method) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("step", step);
        if (method != null) {
            body.put("method", method);
        }
        return Api.post(base(realm) + "/" + caseId + "/ceremonies", token, Api.toJson(body));
    }

    public static Api.Reply submit(String realm, String token, String ceremonyId, Map<String, Object> body) {
        return Api.post(base(realm) + "/ceremonies/" + ceremonyId + "/result", token, Api.toJson(body));
    }

    public static Api.Reply approve(String realm, String token, String ceremonyId, String step, String code) {
        return submit(
                realm,
                token,
                ceremonyId,
                Map.of(
                        "code",
                        code,
                        "outcome",
                        "APPROVE",
                        "checklist",
                        switch (step) {
                            case "DOCUMENT" -> documentChecklist();
                            case "RECOVERY" -> recoveryChecklist();
                            default -> identityChecklist();
                        },
                        "evidenceRef",
                        "HR-4711"));
    }

    /** The legal names every test document carries; approving it makes them the hire's profile names. */
    public static final String LEGAL_GIVEN_NAME = "Dana";

    public static final String LEGAL_FAMILY_NAME = "Document";

    public static Map<String, Object> documentChecklist() {
        return Map.of(
                "givenName",
                LEGAL_GIVEN_NAME,
                "familyName",
                LEGAL_FAMILY_NAME,
                "documentType",
                "PASSPORT",
                "issuingCountry",
                "DE",
                "expiryDate",
                "2031-05-31",
                "numberLastChars",
                "K4X9",
                "documentGenuine",
                true,
                "photoMatches",
                true);
    }

    /** For the VIDEO method. */
    public static Map<String, Object> identityChecklist() {
        return Map.of("faceMatchesDocument", true, "nameMatchesHrRecord", true, "liveCamera", true);
    }

    /**
     * What a verifier fills in when a verified hire recovers on video: the document shown now (the test
     * document of {@link #documentChecklist()}) and the person.
     */
    public static Map<String, Object> recoveryChecklist() {
        Map<String, Object> checklist = new LinkedHashMap<>(documentChecklist());
        checklist.remove("documentGenuine");
        checklist.remove("photoMatches");
        checklist.put("faceMatchesDocument", true);
        checklist.put("liveCamera", true);
        return checklist;
    }

    public static String id(Api.Reply reply) {
        return (String) reply.json().get("id");
    }
}
