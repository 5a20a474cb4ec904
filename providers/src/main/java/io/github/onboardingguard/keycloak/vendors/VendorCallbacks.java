package io.github.onboardingguard.keycloak.vendors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.onboardingguard.audit.CanonicalJson;
import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.cases.CaseStore;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.risk.HiringRecordChecks;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.support.ServerOptions;
import io.github.onboardingguard.keycloak.verification.Ceremonies;
import io.github.onboardingguard.keycloak.verification.LegalNames;
import io.github.onboardingguard.keycloak.verification.VendorResultEntity;
import io.github.onboardingguard.keycloak.verification.VendorResults;
import io.github.onboardingguard.onboarding.IllegalTransitionException;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.vendors.SignedCallback;
import io.github.onboardingguard.vendors.VendorResult;
import io.github.onboardingguard.verification.VerificationStep;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

/**
 * Receives an identity-verification vendor's signed result: checks the signature and its age before
 * reading anything, refuses a message id seen before, records the result on its case, and where the
 * vendors page allows it lets an approved result stand in for the document step (and, only when
 * explicitly allowed, the live identity step). All in the request's transaction.
 */
public final class VendorCallbacks {

    /** Checked against for a vendor the realm does not have, so the answer takes as long as a real check. */
    private static final String UNKNOWN_VENDOR_SECRET = "whsec_" + "A".repeat(43) + "=";

    private final KeycloakSession session;
    private final RealmModel realm;

    public VendorCallbacks(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public Map<String, Object> receive(
            String vendorName, String messageId, String timestamp, String signature, InputStream body) {
        String text = readBounded(body);
        // An unknown vendor and a bad signature answer alike, in about the same time: the page's names are not
        // told to strangers.
        Optional<VendorSettings> found = VendorSettings.find(realm, vendorName);
        if (found.isEmpty()) {
            SignedCallback.verify(messageId, timestamp, signature, text, List.of(UNKNOWN_VENDOR_SECRET), Instant.now());
            throw unauthenticated();
        }
        VendorSettings vendor = found.get();
        switch (SignedCallback.verify(messageId, timestamp, signature, text, vendor.secrets(), Instant.now())) {
            case ACCEPTED -> {
                // Signed by the vendor, and recent.
            }
            case STALE ->
                throw ApiError.of(
                        401,
                        "callback_stale",
                        "The callback's timestamp is more than " + SignedCallback.TOLERANCE.toMinutes()
                                + " minutes from this server's clock",
                        Map.of());
            default -> throw unauthenticated();
        }
        VendorResult result = parse(text);
        CaseStore cases = new CaseStore(session);
        OnboardingCaseEntity onboardingCase = cases.findById(realm.getId(), result.caseId())
                .orElseThrow(() -> ApiError.notFound("No onboarding case with that id in this realm"));
        VendorResults results = new VendorResults(session);
        if (results.seen(realm.getId(), vendor.name(), messageId)) {
            throw replayed();
        }
        String actor = Actors.vendor(vendor.name());
        VendorResultEntity entity = new VendorResultEntity();
        entity.setId(UUID.randomUUID().toString());
        entity.setRealmId(realm.getId());
        entity.setCaseId(onboardingCase.getId());
        entity.setVendor(vendor.name());
        entity.setMessageId(messageId);
        entity.setStatus(result.status().name());
        entity.setResult(CanonicalJson.write(result.checklist(vendor.name())));
        entity.setReceivedAt(System.currentTimeMillis());
        try {
            results.record(entity);
        } catch (PersistenceException e) {
            // The same message recorded by a concurrent request a moment ago.
            throw replayed();
        }
        List<String> stoodInFor = standIn(vendor, result, onboardingCase, entity.getId(), actor);
        entity.setStoodInFor(stoodInFor.isEmpty() ? null : String.join(",", stoodInFor));

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("vendorResultId", entity.getId());
        details.put("caseId", onboardingCase.getId());
        details.put("vendor", vendor.name());
        details.put("messageId", messageId);
        details.put("status", result.status().name());
        details.put("vendorReference", result.vendorReference());
        details.put("liveness", result.liveness().name());
        details.put("faceMatch", result.faceMatch().name());
        details.put("stoodInFor", stoodInFor);
        AuditLog.append(
                session, realm.getId(), actor, onboardingCase.getUserId(), "verification.vendor_result", details);

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", entity.getId());
        answer.put("stoodInFor", stoodInFor);
        return answer;
    }

    /**
     * The steps this result approves, as the vendors page, the server's options and the realm's policy
     * allow. A result that does not fit what the case already knows — the names of an earlier approved
     * document (a re-verification), the applicant record — stands in for nothing: it is evidence for a
     * verifier. The identity step only together with the document step of the same result, so the
     * person the vendor saw is the one whose document it read.
     */
    private List<String> standIn(
            VendorSettings vendor,
            VendorResult result,
            OnboardingCaseEntity onboardingCase,
            String resultId,
            String actor) {
        List<String> steps = new ArrayList<>();
        if (!vendor.documentStep()
                || !result.documentApproved()
                || RealmPolicies.problem(session, realm).isPresent()) {
            return steps;
        }
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        if (awaited(onboardingCase, policy)
                .filter(VerificationStep.DOCUMENT::equals)
                .isEmpty()) {
            return steps;
        }
        Optional<LegalNames> earlier = LegalNames.of(session, realm, onboardingCase);
        if (earlier.isPresent() && !earlier.get().sameAs(new LegalNames(result.givenName(), result.familyName()))) {
            return steps;
        }
        UserModel hire = session.users().getUserById(realm, onboardingCase.getUserId());
        if (hire == null
                || new HiringRecordChecks(session, realm)
                        .namesMismatch(onboardingCase, hire, result.givenName(), result.familyName(), actor)) {
            return steps;
        }
        Ceremonies ceremonies = new Ceremonies(session, realm);
        try {
            ceremonies.recordVendorApproval(
                    onboardingCase,
                    VerificationStep.DOCUMENT,
                    actor,
                    resultId,
                    result.checklist(vendor.name()),
                    evidenceRef(result));
            steps.add(VerificationStep.DOCUMENT.name());
            // Nobody of the company sees the person: only where the operator, the page and the policy all allow it.
            boolean identityAllowed = ServerOptions.of(session).vendorIdentityStep()
                    && vendor.identityStep()
                    && result.personApproved()
                    && !policy.passkeyBinding()
                    && !policy.sponsorAttestation()
                    && !policy.dualControl();
            if (identityAllowed
                    && awaited(onboardingCase, policy)
                            .filter(VerificationStep.IDENTITY::equals)
                            .isPresent()) {
                ceremonies.recordVendorApproval(
                        onboardingCase,
                        VerificationStep.IDENTITY,
                        actor,
                        resultId,
                        result.checklist(vendor.name()),
                        evidenceRef(result));
                steps.add(VerificationStep.IDENTITY.name());
            }
        } catch (IllegalTransitionException e) {
            throw ApiError.conflict("illegal_transition", "The case moved on meanwhile; send the result again");
        }
        return steps;
    }

    private static Optional<VerificationStep> awaited(OnboardingCaseEntity onboardingCase, OnboardingPolicy policy) {
        return VerificationStep.awaitedIn(onboardingCase.getStage(), policy.documentStepRequired());
    }

    /** The verification record's evidence reference: the vendor's own, which its console resolves. */
    private static String evidenceRef(VendorResult result) {
        String reference = result.vendorReference();
        return reference.length() > 128 ? reference.substring(0, 128) : reference;
    }

    private static VendorResult parse(String text) {
        Map<String, Object> json;
        try {
            JsonNode tree = JsonSerialization.mapper.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw ApiError.badRequest(null, "The request body is not a JSON object");
            }
            json = JsonSerialization.mapper.convertValue(tree, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw ApiError.badRequest(null, "The request body is not a JSON object");
        }
        try {
            return VendorResult.parse(json);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(':');
            String field = colon > 0 ? message.substring(0, colon) : null;
            throw ApiError.badRequest(field, "'" + (field == null ? "" : field) + "'" + message.substring(colon));
        }
    }

    /** The body, refused with 413 beyond {@link SignedCallback#MAX_BODY_BYTES} without reading further. */
    private static String readBounded(InputStream body) {
        if (body == null) {
            throw unauthenticated();
        }
        try {
            byte[] bytes = body.readNBytes(SignedCallback.MAX_BODY_BYTES + 1);
            if (bytes.length > SignedCallback.MAX_BODY_BYTES) {
                throw ApiError.of(
                        413,
                        "callback_too_large",
                        "A result is at most " + SignedCallback.MAX_BODY_BYTES + " bytes",
                        Map.of());
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ApiError.badRequest(null, "The request body could not be read");
        }
    }

    private static ApiError unauthenticated() {
        return ApiError.of(
                401,
                "callback_unauthenticated",
                "The callback is not signed by a vendor of this realm (Standard Webhooks headers webhook-id, "
                        + "webhook-timestamp, webhook-signature)",
                Map.of());
    }

    private static ApiError replayed() {
        return ApiError.conflict("callback_replayed", "This callback message was received before; nothing changed");
    }
}
