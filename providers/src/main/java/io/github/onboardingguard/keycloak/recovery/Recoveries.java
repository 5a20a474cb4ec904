package io.github.onboardingguard.keycloak.recovery;

import io.github.onboardingguard.keycloak.audit.AuditLog;
import io.github.onboardingguard.keycloak.audit.AuditStore;
import io.github.onboardingguard.keycloak.cases.BoundPasskey;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.CredentialFingerprint;
import io.github.onboardingguard.keycloak.cases.Notifications;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.Refusals;
import io.github.onboardingguard.keycloak.cases.SessionNotes;
import io.github.onboardingguard.keycloak.probation.OnboardingGateAuthenticatorFactory;
import io.github.onboardingguard.keycloak.support.ApiError;
import io.github.onboardingguard.keycloak.verification.Appointments;
import io.github.onboardingguard.keycloak.verification.Ceremonies;
import io.github.onboardingguard.keycloak.verification.CeremonyEntity;
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
import org.keycloak.authentication.actiontoken.resetcred.ResetCredentialsActionToken;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.common.util.Time;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.models.Constants;
import org.keycloak.models.DefaultActionTokenKey;
import org.keycloak.models.ImpersonationSessionNote;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
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

    private static final String USED_PASSKEY_DETAIL = "public_key_credential_id";
    private static final String HELPDESK_RESET = "recovery.helpdesk_reset";
    /** Keycloak's events for a credential set or replaced by the user. */
    private static final Set<String> CREDENTIAL_REMOVED = Set.of("REMOVE_CREDENTIAL", "REMOVE_TOTP");

    private static final Set<String> CREDENTIAL_SET =
            Set.of("UPDATE_PASSWORD", "UPDATE_CREDENTIAL", "UPDATE_TOTP", "RESET_PASSWORD", "FEDERATED_IDENTITY_LINK");
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
        ADMIN_CREDENTIAL_REMOVED,
        /** An admin's update brought a credential, or linked an identity provider's account. */
        ADMIN_CREDENTIAL_ADDED,
        /** An identity provider's account was linked in its first login. */
        IDENTITY_PROVIDER_LINK,
        /** A helpdesk member changed a credential after a passed helpdesk check (no recovery). */
        HELPDESK_RESET;

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
        if (event.getError() != null || event.getType() == null) {
            return;
        }
        if (CREDENTIAL_REMOVED.contains(event.getType().name())) {
            // The hire removing one of their own credentials in a sign-in of theirs: no recovery, but judged.
            judged(user);
            return;
        }
        if (!CREDENTIAL_SET.contains(event.getType().name())) {
            return;
        }
        UserSessionModel userSession =
                event.getSessionId() == null ? null : session.sessions().getUserSession(realm, event.getSessionId());
        String impersonator =
                userSession == null ? null : userSession.getNote(ImpersonationSessionNote.IMPERSONATOR_ID.toString());
        if (impersonator != null) {
            // An admin acting as the hire: their change, whatever page it was made on.
            start(
                    user,
                    How.ADMIN_CREDENTIAL_ADDED,
                    impersonator,
                    "impersonation " + event.getType().name());
            judged(user);
            return;
        }
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        if (authSession == null) {
            return;
        }
        recoveryThrough(authSession, user)
                .ifPresent(how -> start(user, how, user.getId(), event.getType().name()));
        // The hire's own change in a sign-in of theirs, or one that started recovery: judged either way.
        judged(user);
    }

    /**
     * An admin changed what the user signs in with (set a password, removed a credential, disabled a
     * type). After a helpdesk check of this hire that this admin passed in the last minutes, the change
     * stands as it is. Without one, an admin who may manage the realm puts the hire into recovery, and
     * anyone else (the helpdesk, an HR account with manage-users) is refused.
     */
    public void onAdminCredentialChange(UserModel user, String actor, String path) {
        Optional<OnboardingCaseEntity> verified =
                new CaseLookup(session, realm).caseOf(user).filter(Recoveries::verifiedOrSuspendedVerified);
        if (verified.isEmpty()) {
            return;
        }
        How how = path.endsWith("/reset-password")
                ? How.ADMIN_RESET
                : path.contains("/credentials/") || path.endsWith("/disable-credential-types")
                        ? How.ADMIN_CREDENTIAL_REMOVED
                        : How.ADMIN_CREDENTIAL_ADDED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", verified.get().getId());
        details.put("how", how.code());
        details.put("source", path);
        Optional<CeremonyEntity> check = coveredByHelpdeskCheck(verified.get(), how, path)
                ? new Ceremonies(session, realm)
                        .passedHelpdeskCheck(verified.get(), actor, Ceremonies.HELPDESK_RESET_WINDOW)
                        .filter(passed -> unused(user, passed))
                : Optional.empty();
        if (check.isPresent()) {
            details.put("helpdeskCheckId", check.get().getId());
            AuditLog.append(session, realm.getId(), actor, user.getId(), HELPDESK_RESET, details);
            // The check proved someone can sign in as the hire now; the hire hears of it all the same.
            notifyAddresses(user, verified.get(), How.HELPDESK_RESET, false);
            judged(user);
            return;
        }
        if (Appointments.requestByRealmManager(session, realm)) {
            start(user, how, actor, path);
            judged(user);
            return;
        }
        AuditLog.appendApart(session, realm.getId(), actor, user.getId(), "recovery.reset_refused", details);
        Refusals.atCommit(
                session,
                ApiError.forbidden(
                        "helpdesk_check_required",
                        "Check the caller first: a verified hire's credentials are reset only after a helpdesk check "
                                + "of them passed in the last " + Ceremonies.HELPDESK_RESET_WINDOW.toMinutes()
                                + " minutes (onboarding console, Helpdesk)"));
    }

    /** A verified hire signed in with the passkey bound at verification: an open helpdesk check of them passes. */
    public void onLogin(UserModel user, Event event) {
        if (event.getType() != EventType.LOGIN || event.getError() != null) {
            return;
        }
        // Keycloak re-hashes a password at sign-in when the hashing policy changed: that is no change of the hire's.
        // A case verified before the fingerprint existed gets its first one here.
        new CaseLookup(session, realm)
                .caseOf(user)
                .filter(c -> c.getStage() == Stage.VERIFIED)
                .filter(c -> c.getCredentialFingerprint() == null || CredentialFingerprint.changedSinceJudged(c, user))
                .ifPresent(c -> CredentialFingerprint.remember(c, user));
        UserSessionModel userSession =
                event.getSessionId() == null ? null : session.sessions().getUserSession(realm, event.getSessionId());
        if (userSession == null
                || !SessionNotes.loginMethod(userSession)
                        .map(SessionNotes.LOGIN_PASSKEY::equals)
                        .orElse(false)) {
            return;
        }
        String usedPasskey =
                event.getDetails() == null ? null : event.getDetails().get(USED_PASSKEY_DETAIL);
        new CaseLookup(session, realm)
                .caseOf(user)
                .filter(c -> c.getStage() == Stage.VERIFIED)
                .filter(c -> BoundPasskey.signedInWith(user, c, usedPasskey))
                .ifPresent(c -> new Ceremonies(session, realm).passHelpdeskCheckByPasskey(c, user));
    }

    private static Optional<How> recoveryThrough(AuthenticationSessionModel authSession, UserModel user) {
        if (user.getId().equals(authSession.getAuthNote(DefaultActionTokenKey.ACTION_TOKEN_USER_ID))) {
            // Any emailed link: whoever holds the mailbox holds the link.
            String type = tokenType(authSession.getAuthNote(Constants.KEY));
            return Optional.of(ResetCredentialsActionToken.TOKEN_TYPE.equals(type) ? How.RESET_LINK : How.ACTION_LINK);
        }
        if (authSession.getAuthNote(AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE) != null) {
            // An identity provider's account linked in its first login ("verify existing account by email", or a
            // provider trusted to link by email): it signs in as the hire from now on.
            return Optional.of(How.IDENTITY_PROVIDER_LINK);
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

    /**
     * Whether an admin's update of a verified hire changed what they sign in with: Keycloak's user
     * representation may carry credentials, and its admin event does not show them; the credentials
     * judged last (the case's fingerprint) tell.
     */
    public boolean credentialsChangedBy(UserModel user) {
        return new CaseLookup(session, realm)
                .caseOf(user)
                .filter(Recoveries::verifiedOrSuspendedVerified)
                .map(c -> CredentialFingerprint.changedSinceJudged(c, user))
                .orElse(false);
    }

    /** After a change the extension judged (and let stand, or answered with recovery): these are the credentials now. */
    private void judged(UserModel user) {
        new CaseLookup(session, realm)
                .caseOf(user)
                .filter(c -> c.getStage() != Stage.INVITED)
                .ifPresent(c -> CredentialFingerprint.remember(c, user));
    }

    /**
     * What a passed helpdesk check may let stand on a verified account: a new password, or removing a
     * credential that is not the bound passkey (a lost phone's OTP). Never the bound passkey, a whole
     * credential type, or a new way in (an identity provider's account, a credential in a user update).
     */
    private static boolean coveredByHelpdeskCheck(OnboardingCaseEntity verified, How how, String path) {
        if (verified.getStage() != Stage.VERIFIED) {
            return false;
        }
        if (how == How.ADMIN_RESET) {
            return true;
        }
        return path.contains("/credentials/")
                && (verified.getVerifiedCredentialId() == null
                        || !path.endsWith("/credentials/" + verified.getVerifiedCredentialId()));
    }

    /** A check lets one change stand. */
    private boolean unused(UserModel user, CeremonyEntity check) {
        return new AuditStore(session)
                .newestContaining(realm.getId(), user.getId(), HELPDESK_RESET, check.getId())
                .isEmpty();
    }

    private static boolean verifiedOrSuspendedVerified(OnboardingCaseEntity c) {
        return c.getStage() == Stage.VERIFIED
                || c.getStage() == Stage.SUSPENDED && c.getSuspendedFrom() == Stage.VERIFIED;
    }

    private void start(UserModel user, How how, String actor, String source) {
        Optional<OnboardingCaseEntity> verified =
                new CaseLookup(session, realm).caseOf(user).filter(Recoveries::verifiedOrSuspendedVerified);
        if (verified.isEmpty()) {
            return;
        }
        OnboardingCaseEntity onboardingCase = verified.get();
        if (onboardingCase.getStage() == Stage.SUSPENDED) {
            // A reinstatement must not hand back a verified account with a credential set while it was suspended.
            onboardingCase.setSuspendedFrom(Stage.RECOVERY);
        } else {
            new OnboardingCases(session, realm)
                    .apply(onboardingCase, StageEvent.RECOVERY_STARTED, actor, "account recovery: " + how.code());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caseId", onboardingCase.getId());
        details.put("how", how.code());
        details.put("source", source);
        details.put("notifiedAddresses", addressesOf(user, onboardingCase).size());
        AuditLog.append(session, realm.getId(), actor, user.getId(), "recovery.started", details);
        notifyAddresses(user, onboardingCase, how, true);
        showStatusPageNext(user);
    }

    /** The notice, with its "this wasn't me" link, to every address the account is known by. */
    private void notifyAddresses(UserModel user, OnboardingCaseEntity onboardingCase, How how, boolean inRecovery) {
        String link = repudiationLink(user, onboardingCase);
        for (String address : addressesOf(user, onboardingCase)) {
            Notifications.toAddress(
                    session,
                    realm,
                    address,
                    user,
                    new Notifications.Mail(
                            "onboardingRecoveryNoticeSubject",
                            "onboarding-recovery-notice.ftl",
                            Map.of(
                                    "how",
                                    how.code(),
                                    "link",
                                    link,
                                    "linkHours",
                                    REPUDIATION_HOURS,
                                    "inRecovery",
                                    inRecovery)));
        }
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
