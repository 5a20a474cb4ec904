package io.github.onboardingguard.keycloak.verification;

import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.SessionNotes;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.probation.OnboardingGateAuthenticatorFactory;
import io.github.onboardingguard.keycloak.support.Instants;
import io.github.onboardingguard.keycloak.support.OnboardingProviderFactory;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.verification.CeremonyCode;
import io.github.onboardingguard.verification.VerificationStep;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The hire's onboarding status page, shown once per interactive login while the case is pending,
 * and on demand ({@code kc_action=onboarding-status}). While a verifier has a ceremony open it
 * shows the one-time code, bound to this login's session; with passkey binding it first asks the
 * hire to register a passkey.
 */
public final class OnboardingStatusAction
        implements RequiredActionProvider, RequiredActionFactory, OnboardingProviderFactory<RequiredActionProvider> {

    public static final String PROVIDER_ID = OnboardingGateAuthenticatorFactory.STATUS_PAGE_ACTION;
    static final String TEMPLATE = "onboarding-status.ftl";
    static final String PASSKEY_ACTION = "webauthn-register-passwordless";
    /** Set when the hire chose to continue, so the page is not shown twice in one login. */
    private static final String SHOWN_NOTE = "onboarding.status.shown";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "Onboarding status and verification code";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // Only browser logins: a direct grant cannot show a page and would fail on a pending action.
        if (authSession.getRedirectUri() == null || authSession.getAuthNote(SHOWN_NOTE) != null) {
            return;
        }
        if (pageDue(context)) {
            authSession.addRequiredAction(PROVIDER_ID);
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        context.challenge(page(context, null));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String action = form.getFirst("action");
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if ("refresh".equals(action)) {
            context.challenge(page(context, null));
            return;
        }
        if ("passkey".equals(action)) {
            RequiredActionProviderModel passkey = context.getRealm().getRequiredActionProviderByAlias(PASSKEY_ACTION);
            if (passkey == null || !passkey.isEnabled()) {
                context.challenge(page(context, "onboardingPasskeyUnavailable"));
                return;
            }
            // Registration runs next; this page comes back afterwards because the shown-note is not set.
            authSession.addRequiredAction(PASSKEY_ACTION);
            context.success();
            return;
        }
        Optional<OnboardingCaseEntity> onboardingCase =
                new CaseLookup(context.getSession(), context.getRealm()).findFor(context.getUser());
        if (onboardingCase.map(c -> c.getStage() == Stage.RECOVERY).orElse(false)) {
            // No sign-in finishes in recovery: the page stays until the person is seen or uses the bound passkey.
            context.challenge(page(context, "onboardingRecoveryPending"));
            return;
        }
        authSession.setAuthNote(SHOWN_NOTE, "true");
        // A verifier may have changed the stage while this page was open: the new session starts current.
        onboardingCase.ifPresent(c -> SessionNotes.write(authSession, c.getStage(), c.getDeadline()));
        if (onboardingCase.map(c -> c.getStage().blocksLogin()).orElse(false)
                || !context.getUser().isEnabled()) {
            context.failure();
            return;
        }
        context.success();
    }

    private Response page(RequiredActionContext context, String errorKey) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel hire = context.getUser();
        OnboardingPolicy policy = RealmPolicies.of(session, realm);
        OnboardingCaseEntity onboardingCase =
                new CaseLookup(session, realm).findFor(hire).orElse(null);

        Map<String, Object> model = new LinkedHashMap<>();
        if (onboardingCase != null) {
            model.put("stage", onboardingCase.getStage().name());
            model.put("level", onboardingCase.getStage().verificationLevel());
            if (onboardingCase.getStage().isPending()) {
                // Recovery and verified accounts have no deadline; the first probation's would only mislead.
                model.put("deadline", Instants.display(onboardingCase.getDeadline()));
            }
            model.put(
                    "nextStep",
                    VerificationStep.awaitedIn(onboardingCase.getStage(), policy.documentStepRequired())
                            .map(Enum::name)
                            .orElse(onboardingCase.getStage().isRestricted() ? "FIRST_LOGIN" : "NONE"));
            String boundSession =
                    context.getAuthenticationSession().getParentSession().getId();
            new Ceremonies(session, realm)
                    .promptFor(onboardingCase, hire, boundSession)
                    .ifPresent(prompt -> {
                        if (prompt.ceremony().getStep() == VerificationStep.HELPDESK) {
                            model.put("nextStep", "HELPDESK");
                        }
                        model.put("ceremonyStep", prompt.ceremony().getStep().name());
                        model.put(
                                "ceremonyMethod", prompt.ceremony().getMethod().name());
                        model.put("verifierName", prompt.verifierName());
                        model.put("passkeyNeeded", prompt.passkeyNeeded());
                        if (prompt.code() != null) {
                            model.put("code", CeremonyCode.grouped(prompt.code()));
                            model.put("codeMinutes", policy.ceremonyCodeMinutes());
                        }
                    });
        } else {
            model.put("stage", "NONE");
            model.put("nextStep", "NONE");
        }
        model.put("bookingUrl", policy.verificationBookingUrl());
        var form = context.form().setAttribute("onboarding", model);
        if (errorKey != null) {
            form.setError(errorKey);
        }
        return form.createForm(TEMPLATE);
    }

    /** Not verified (or in recovery), or verified and a helpdesk member is checking them right now. */
    private static boolean pageDue(RequiredActionContext context) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        Optional<OnboardingCaseEntity> onboardingCase = new CaseLookup(session, realm).caseOf(context.getUser());
        return onboardingCase.map(c -> c.getStage().isRestricted()).orElse(false)
                || onboardingCase
                        .filter(c -> c.getStage() == Stage.VERIFIED)
                        .flatMap(c -> new Ceremonies(session, realm).openFor(c))
                        .filter(open -> open.getStep() == VerificationStep.HELPDESK)
                        .isPresent();
    }

    @Override
    public void close() {
        // Both the factory and the provider; neither holds resources.
    }
}
