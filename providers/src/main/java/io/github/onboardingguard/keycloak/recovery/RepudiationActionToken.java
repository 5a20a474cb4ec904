package io.github.onboardingguard.keycloak.recovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.keycloak.authentication.actiontoken.DefaultActionToken;

/** The "this wasn't me" link of a recovery notice: names the case whose recovery it answers. */
public final class RepudiationActionToken extends DefaultActionToken {

    public static final String TOKEN_TYPE = "onboarding-repudiation";
    private static final String JSON_FIELD_CASE = "ogcase";

    @JsonProperty(JSON_FIELD_CASE)
    private String caseId;

    RepudiationActionToken(String userId, int absoluteExpirationInSecs, String caseId, String clientId) {
        super(userId, TOKEN_TYPE, absoluteExpirationInSecs, null);
        this.caseId = caseId;
        this.issuedFor = clientId;
    }

    /** For Keycloak's JSON reader. */
    private RepudiationActionToken() {}

    public String getCaseId() {
        return caseId;
    }
}
