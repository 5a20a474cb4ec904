package io.github.onboardingguard.keycloak.recovery;

import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.Notifications;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.probation.OnboardingGateAuthenticatorFactory;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.authentication.actiontoken.execactions.ExecuteActionsActionToken;
import org.keycloak.authentication.actiontoken.resetcred.ResetCredentialsActionToken;
import org.keycloak.common.util.Time;
import org.keycloak.events.Event;
import org.keycloak.models.Constants;
import org.keycloak.models.DefaultActionTokenKey;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.JsonSerialization;

/**
 * The moments a verified hire's account gets a credential without the person having proved who they
 * are: a reset or execute-actions link from the mailbox, an admin's reset, a credential an admin removed.
 * Each moves the case to RECOVERY (no client opens), is audited and announced, and is told to every
 * address the account is known by, with a link to say it was not them.
 */
public final class Recoveries {

    /** Keycloak's events for a credential set or replaced by the user. */
    private static final Set<String> CREDENTIAL_SET =
            Set.of("UPDATE_PASSWORD", "UPDATE_CREDENTIAL", "UPDATE_TOTP", "RESET_PASSWORD");
    /** How long the "this wasn't me" link works: long enough for someone back from a weekend. */
    static final int REPUDIATION_HOURS = 72;

    /** How the account came to recovery, as audited, announced and named in the notice. */
    public enum How {
        /** Keycloak's "Forgot password?" link from the mailbox. */
        RESET_LINK,
        /** An admin's execute-actions email, used from the mailbox. */
        ACTION_LINK,
        /** The realm's reset-credentials flow without a link (the gate noted it). */
        RESET_FLOW,
        /** An admin set a password. */
        ADMIN_RESET,
        /** An admin removed a credential or disabled a credential type. */
        ADMIN_CREDENTIAL_REMOVED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final KeycloakSession session;
    private final RealmModel realm;

    public Recoveries(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** A user's own credential event: a recovery when it happened in a sign-in through a link or the reset flow. */
    public void onUserEvent(UserModel user, Event event) {
        if (event.getError() != null
                || event.getType() == null
                || !CREDENTIAL_SET.contains(event.getType().name())) {
            return;
        }
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        if (authSession == null) {
            return;
        }
        recoveryThrough(authSession, user)
                .ifPresent(how -> start(user, how, user.getId(), event.getType().name()));
    }

    /** An admin changed what the user signs in with (set a password, removed a credential, disabled a type). */
    public void onAdminCredentialChange(UserModel user, String actor, String path) {
        How how = path.endsWith("/reset-password") ? How.ADMIN_RESET : How.ADMIN_CREDENTIAL_REMOVED;
        start(user, how, actor, path);
    }

    private static Optional<How> recoveryThrough(AuthenticationSessionModel authSession, UserModel user) {
        if (user.getId().equals(authSession.getAuthNote(DefaultActionTokenKey.ACTION_TOKEN_USER_ID))) {
            String type = tokenType(authSession.getAuthNote(Constants.KEY));
            if (ResetCredentialsActionToken.TOKEN_TYPE.equals(type)) {
                return Optional.of(How.RESET_LINK);
            }
            if (ExecuteActionsActionToken.TOKEN_TYPE.equals(type)) {
                return Optional.of(How.ACTION_LINK);
            }
        }
        return authSession.getAuthNote(OnboardingGateAuthenticatorFactory.RESET_FLOW_NOTE) != null
                ? Optional.of(How.RESET_FLOW)
                : Optional.empty();
    }

    /** The {@code typ} of the action token the sign-in came through; Keycloak verified its signature already. */
    private static String tokenType(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            Map<?, ?> claims =
                    JsonSerialization.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
            return claims.get("typ") instanceof String type ? type : null;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private void start(UserModel user, How how, String actor, String source) {
        Optional<OnboardingCaseEntity> verified =
                new CaseLookup(session, realm).caseOf(user).filter(c -> c.getStage() == Stage.VERIFIED);
        if (verified.isEmpty()) {
            return;
        }
        OnboardingCaseEntity onboardingCase = verified.get();
        new OnboardingCases(session, realm)
                .apply(onboardingCase, StageEvent.RECOVERY_STARTED, actor, "account recovery: " + how.code());
        List<String> addresses = addressesOf(user, onboardingCase);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("how", how.code());
        details.put("source", source);
        details.put("notifiedAddresses", addresses.size());
        AuditLog.append(session, realm.getId(), actor, user.getId(), "recovery.started", details);
        String link = repudiationLink(user, onboardingCase);
        for (String address : addresses) {
            Notifications.toAddress(
                    session,
                    realm,
                    address,
                    user,
                    new Notifications.Mail(
                            "onboardingRecoveryNoticeSubject",
                            "onboarding-recovery-notice.ftl",
                            Map.of("how", how.code(), "link", link, "linkHours", REPUDIATION_HOURS)));
        }
        showStatusPageNext(user);
    }

    /** Every address the account is known by: the current one and the one it had when the hire was verified. */
    private static List<String> addressesOf(UserModel user, OnboardingCaseEntity onboardingCase) {
        List<String> addresses = new ArrayList<>();
        for (String address : new String[] {user.getEmail(), onboardingCase.getVerifiedEmail()}) {
            if (address != null
                    && !address.isBlank()
                    && addresses.stream().noneMatch(a -> a.equalsIgnoreCase(address.trim()))) {
                addresses.add(address.trim());
            }
        }
        return addresses;
    }

    private String repudiationLink(UserModel user, OnboardingCaseEntity onboardingCase) {
        RepudiationActionToken token = new RepudiationActionToken(
                user.getId(),
                Time.currentTime() + REPUDIATION_HOURS * 3600,
                onboardingCase.getId(),
                Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        return LoginActionsService.actionTokenProcessor(session.getContext().getUri())
                .queryParam(
                        "key",
                        token.serialize(session, realm, session.getContext().getUri()))
                .build(realm.getName())
                .toString();
    }

    /**
     * A recovery inside a browser sign-in (the reset link) ends on the onboarding status page rather than
     * at the client: the login cannot finish, and the page says what comes next.
     */
    private void showStatusPageNext(UserModel user) {
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        if (authSession != null
                && authSession.getRedirectUri() != null
                && authSession.getAuthenticatedUser() != null
                && authSession.getAuthenticatedUser().getId().equals(user.getId())) {
            authSession.addRequiredAction(OnboardingGateAuthenticatorFactory.STATUS_PAGE_ACTION);
        }
    }
}
