package io.github.onboardingguard.keycloak.risk;

import io.github.onboardingguard.keycloak.audit.Actors;
import io.github.onboardingguard.keycloak.cases.BoundPasskey;
import io.github.onboardingguard.keycloak.cases.CaseLookup;
import io.github.onboardingguard.keycloak.cases.DeferredGrantEntity;
import io.github.onboardingguard.keycloak.cases.HeldGrants;
import io.github.onboardingguard.keycloak.cases.OnboardingCaseEntity;
import io.github.onboardingguard.keycloak.cases.OnboardingCases;
import io.github.onboardingguard.keycloak.cases.RiskSignals;
import io.github.onboardingguard.keycloak.cases.SessionNotes;
import io.github.onboardingguard.keycloak.policy.RealmPolicies;
import io.github.onboardingguard.keycloak.probation.OnboardingGateAuthenticatorFactory;
import io.github.onboardingguard.keycloak.support.Users;
import io.github.onboardingguard.keycloak.verification.Ceremonies;
import io.github.onboardingguard.keycloak.verification.CeremonyEntity;
import io.github.onboardingguard.keycloak.verification.LegalNames;
import io.github.onboardingguard.onboarding.OnboardingPolicy;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.risk.AddressPrefix;
import io.github.onboardingguard.risk.ContactFingerprint;
import io.github.onboardingguard.risk.CountryCodes;
import io.github.onboardingguard.risk.CountryRanges;
import io.github.onboardingguard.risk.PasskeyBinding;
import io.github.onboardingguard.risk.RiskAction;
import io.github.onboardingguard.risk.RiskRule;
import io.github.onboardingguard.risk.RiskSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

/**
 * Turns Keycloak events of monitored users (a pending case, or verified within the policy's
 * number of days) into risk signals. The listener hands over only users who may have a case.
 */
public final class RiskMonitor {

    private static final Set<String> CREDENTIAL_EVENTS = Set.of(
            "UPDATE_TOTP",
            "REMOVE_TOTP",
            "UPDATE_CREDENTIAL",
            "REMOVE_CREDENTIAL",
            "UPDATE_PASSWORD",
            "RESET_PASSWORD",
            // A linked identity provider account is another way to log in as this user.
            "FEDERATED_IDENTITY_LINK",
            "REMOVE_FEDERATED_IDENTITY");
    private static final Set<String> PROFILE_EVENTS = Set.of("UPDATE_PROFILE", "UPDATE_EMAIL");
    private static final Set<String> PROBATION_SESSION_LIMITS = Set.of(
            OnboardingGateAuthenticatorFactory.ERROR_OFFLINE_NOT_ALLOWED,
            OnboardingGateAuthenticatorFactory.ERROR_SESSION_TOO_OLD);
    /** Events that hand a user tokens after proving who they are: a flow's login, or a trusted issuer's assertion. */
    private static final Set<String> LOGINS = Set.of("LOGIN", "JWT_AUTHORIZATION_GRANT");

    static final Duration TRACE_INTERVAL = Duration.ofMinutes(10);
    /** The source an admin's change of a user is reported with. */
    public static final String ADMIN_UPDATE = "ADMIN_UPDATE";
    /** Where a monitored user's session started: country and address prefix, as notes of the session. */
    static final String SESSION_COUNTRY_NOTE = "onboarding.session.country";

    static final String SESSION_PREFIX_NOTE = "onboarding.session.prefix";
    /** The places a session was already flagged for, so each raises one signal. */
    static final String SESSION_FLAGGED_NOTE = "onboarding.session.flagged";

    private static final int MAX_FLAGGED_PLACES = 8;
    /** Keycloak's detail on a LOGIN made with a passkey: the WebAuthn credential id, base64url. */
    private static final String USED_PASSKEY_DETAIL = "public_key_credential_id";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final OnboardingPolicy policy;
    private final RiskSettings settings;
    private final CountryRanges countryRanges;
    private final LoginTraces traces;

    private RiskMonitor(KeycloakSession session, RealmModel realm, CountryRanges countryRanges) {
        this.session = session;
        this.realm = realm;
        this.countryRanges = countryRanges;
        this.traces = new LoginTraces(session);
        this.policy = RealmPolicies.of(session, realm);
        this.settings = policy.risk();
    }

    /**
     * @param user          the event's user, who may have a case (the listener has checked)
     * @param countryRanges the admin's address-range file, used where no trusted header names the country
     */
    public static void onEvent(
            KeycloakSession session, RealmModel realm, UserModel user, Event event, CountryRanges countryRanges) {
        if (event.getType() != null && watches(event.getType())) {
            new RiskMonitor(session, realm, countryRanges).user(user, event);
        }
    }

    /**
     * After verification, a profile whose names no longer match the document's: the organisation
     * stops attesting them (the claims mapper compares on every token) and the change counts as a
     * contact change, with that rule's action. Watched for as long as the case is VERIFIED, not
     * only in the monitoring window: the attestation lasts that long.
     *
     * @param source what changed the profile, e.g. {@code UPDATE_PROFILE} or {@code ADMIN_UPDATE}
     * @param actor  who did, a user id
     */
    public static void onProfileUpdate(
            KeycloakSession session, RealmModel realm, UserModel user, String source, String actor) {
        Optional<OnboardingCaseEntity> verified =
                new CaseLookup(session, realm).caseOf(user).filter(c -> c.getStage() == Stage.VERIFIED);
        if (verified.isEmpty()) {
            return;
        }
        Optional<LegalNames> names = LegalNames.of(session, realm, verified.get());
        if (names.isEmpty() || names.get().matches(user)) {
            return;
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("event", source);
        evidence.put("actor", actor);
        evidence.put(
                "changed",
                Map.of(
                        "name",
                        Map.of(
                                "verified",
                                        names.get().givenName() + " "
                                                + names.get().familyName(),
                                "to", user.getFirstName() + " " + user.getLastName())));
        boolean byTheHire = !ADMIN_UPDATE.equals(source);
        if (byTheHire) {
            // After verification the names are the document's: the hire's own change is undone in the same
            // request (Keycloak's user profile cannot make a field read-only for some users only).
            user.setFirstName(names.get().givenName());
            user.setLastName(names.get().familyName());
            evidence.put("undone", true);
        }
        new RiskMonitor(session, realm, CountryRanges.none())
                .fire(RiskRule.CONTACT_CHANGE, verified.get(), user, evidence, null);
    }

    /**
     * A grant outside the allow-list was just held on the case of a hire who is not verified yet:
     * whoever made it, through whatever path, it is a privileged grant to an unverified user.
     */
    public static void onHeldGrant(
            KeycloakSession session, RealmModel realm, UserModel user, DeferredGrantEntity held) {
        OnboardingCaseEntity onboardingCase = held.getOnboardingCase();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("granted", List.of(HeldGrants.describe(realm, held.getKind(), held.getTargetId())));
        evidence.put("kind", held.getKind().name());
        evidence.put("admin", held.getHeldBy());
        evidence.put("stage", onboardingCase.getStage().name());
        new RiskMonitor(session, realm, CountryRanges.none())
                .fire(RiskRule.PRIVILEGED_GRANT, onboardingCase, user, evidence, null);
    }

    /**
     * An admin changed a credential of the user (reset a password, removed a passkey or OTP, disabled
     * credential types): a credential change like the user's own, and while a ceremony is open it
     * voids the code shown so far, as a stand-in's change would.
     */
    public static void onAdminCredentialChange(
            KeycloakSession session, RealmModel realm, UserModel user, String actor, String path) {
        RiskMonitor monitor = new RiskMonitor(session, realm, CountryRanges.none());
        Optional<OnboardingCaseEntity> monitored =
                monitor.monitoredCase(user).filter(c -> c.getStage() != Stage.INVITED);
        if (monitored.isEmpty()) {
            return;
        }
        Ceremonies ceremonies = new Ceremonies(session, realm);
        Optional<CeremonyEntity> open = ceremonies.openFor(monitored.get());
        open.ifPresent(ceremonies::voidCode);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("event", ADMIN_UPDATE);
        evidence.put("actor", actor);
        evidence.put("resourcePath", path);
        evidence.put("stage", monitored.get().getStage().name());
        evidence.put("ceremonyCodeVoided", open.isPresent());
        monitor.fire(RiskRule.CREDENTIAL_CHANGE, monitored.get(), user, evidence, null);
    }

    /** Whether any rule looks at events of this type. */
    public static boolean watches(EventType type) {
        String name = type.name();
        return LOGINS.contains(name)
                || "REFRESH_TOKEN".equals(name)
                || "LOGIN_ERROR".equals(name)
                || CREDENTIAL_EVENTS.contains(name)
                || PROFILE_EVENTS.contains(name);
    }

    private void user(UserModel user, Event event) {
        String type = event.getType().name();
        if ("REFRESH_TOKEN".equals(type)
                && !settings.rule(RiskRule.SESSION_CONTEXT_CHANGE).on()) {
            // Refreshes matter to this rule only: no case lookup on every refresh when it is off.
            return;
        }
        Optional<OnboardingCaseEntity> monitored = monitoredCase(user);
        if (monitored.isEmpty()) {
            return;
        }
        OnboardingCaseEntity onboardingCase = monitored.get();
        Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
        switch (type) {
            case "LOGIN", "JWT_AUTHORIZATION_GRANT" -> {
                sessionContext(onboardingCase, user, event);
                login(onboardingCase, user, event);
            }
            case "REFRESH_TOKEN" -> sessionContext(onboardingCase, user, event);
            case "LOGIN_ERROR" -> {
                if (OnboardingGateAuthenticatorFactory.ERROR_CLIENT_NOT_ALLOWED.equals(event.getError())) {
                    fire(
                            RiskRule.RESTRICTED_CLIENT,
                            onboardingCase,
                            user,
                            evidence(event, "clientId", event.getClientId()),
                            null);
                } else if (!PROBATION_SESSION_LIMITS.contains(event.getError())) {
                    // A session that outlived probation's limits is not a failed sign-in.
                    failedLogin(onboardingCase, user, event);
                }
            }
            default -> {
                if (CREDENTIAL_EVENTS.contains(type)) {
                    credentialChange(onboardingCase, user, event, details);
                } else {
                    contactChange(onboardingCase, user, event, details);
                }
            }
        }
    }

    /**
     * The first event of a session notes where it started; a later one — a sign-in through the
     * session's SSO cookie, or a refresh by a public client (no secret: a stolen refresh token works
     * anywhere) — from another country, or another network when the rule watches networks, is the
     * session used somewhere else: {@code session_context_change}, once per session and place.
     * Confidential clients' refreshes come from their own servers and are not compared.
     */
    private void sessionContext(OnboardingCaseEntity onboardingCase, UserModel user, Event event) {
        RiskSettings.Rule rule = settings.rule(RiskRule.SESSION_CONTEXT_CHANGE);
        if (!rule.on() || event.getSessionId() == null) {
            return;
        }
        boolean login = LOGINS.contains(event.getType().name());
        ClientModel client = event.getClientId() == null ? null : realm.getClientByClientId(event.getClientId());
        if (!login && (client == null || !client.isPublicClient())) {
            return;
        }
        UserSessionModel userSession = session.sessions().getUserSession(realm, event.getSessionId());
        if (userSession == null) {
            userSession = session.sessions().getOfflineUserSession(realm, event.getSessionId());
        }
        if (userSession == null) {
            return;
        }
        String country = country(event);
        String prefix = AddressPrefix.of(event.getIpAddress());
        Map<String, String> notes = userSession.getNotes();
        String startedCountry;
        String startedPrefix;
        if (notes.containsKey(SESSION_PREFIX_NOTE)) {
            startedCountry = notes.getOrDefault(SESSION_COUNTRY_NOTE, "");
            startedPrefix = notes.get(SESSION_PREFIX_NOTE);
        } else if (login && event.getIpAddress() != null && event.getIpAddress().equals(userSession.getIpAddress())) {
            // The session's own sign-in: where it starts.
            userSession.setNote(SESSION_COUNTRY_NOTE, country == null ? "" : country);
            userSession.setNote(SESSION_PREFIX_NOTE, prefix == null ? "" : prefix);
            return;
        } else {
            // A session whose start was not seen (older than the rule, or begun without a sign-in event): where
            // Keycloak says it started, which no client can write.
            String startAddress = userSession.getIpAddress();
            startedCountry = countryRanges.lookup(startAddress).orElse("");
            startedPrefix = Optional.ofNullable(AddressPrefix.of(startAddress)).orElse("");
            userSession.setNote(SESSION_COUNTRY_NOTE, startedCountry);
            userSession.setNote(SESSION_PREFIX_NOTE, startedPrefix);
        }
        // A session that began in a known country and is now used where none can be told (Tor, an unlisted
        // range, a missing header) has moved as much as one that names another country.
        boolean otherCountry = !startedCountry.isEmpty() && !startedCountry.equals(country);
        boolean otherNetwork =
                rule.flag("network") && prefix != null && !startedPrefix.isEmpty() && !startedPrefix.equals(prefix);
        if (!otherCountry && !otherNetwork) {
            return;
        }
        String place = (country == null ? "?" : country) + "|" + prefix;
        List<String> seen = new ArrayList<>(
                List.of(notes.getOrDefault(SESSION_FLAGGED_NOTE, "").split(";")));
        if (seen.contains(place)) {
            return;
        }
        seen.add(place);
        // Bounded: a caller hopping through networks still gets one note of limited size.
        userSession.setNote(
                SESSION_FLAGGED_NOTE,
                String.join(";", seen.subList(Math.max(0, seen.size() - MAX_FLAGGED_PLACES), seen.size())));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("event", event.getType().name());
        evidence.put("sessionId", event.getSessionId());
        evidence.put("country", country);
        evidence.put("addressPrefix", prefix);
        evidence.put("startedCountry", startedCountry.isEmpty() ? null : startedCountry);
        evidence.put("startedAddressPrefix", startedPrefix.isEmpty() ? null : startedPrefix);
        evidence.put("ipAddress", event.getIpAddress());
        evidence.put("clientId", event.getClientId());
        evidence.put("stage", onboardingCase.getStage().name());
        evidence.put("countryChanged", otherCountry);
        // Networks change on the move (mobile carriers, VPNs, dual stack): that alone alerts at most.
        RiskSettings.Rule applied = otherCountry || rule.action().compareTo(RiskAction.ALERT) <= 0
                ? rule
                : new RiskSettings.Rule(rule.rule(), RiskAction.ALERT, rule.parameters());
        new RiskResponder(session, realm).respond(onboardingCase, user, applied, evidence, null);
    }

    private void login(OnboardingCaseEntity onboardingCase, UserModel user, Event event) {
        long now = System.currentTimeMillis();
        contactChangedUnseen(onboardingCase, user, event);
        if (onboardingCase.getStage() != Stage.VERIFIED
                && event.getClientId() != null
                && !policy.allowsClient(event.getClientId())) {
            // The gate would have refused this: a door without it let the hire in. Close it behind them.
            endSession(event);
            fire(
                    RiskRule.UNGUARDED_LOGIN,
                    onboardingCase,
                    user,
                    evidence(
                            event,
                            "stage",
                            onboardingCase.getStage().name(),
                            "authMethod",
                            event.getDetails() == null
                                    ? null
                                    : event.getDetails().get("auth_method"),
                            "identityProvider",
                            event.getDetails() == null
                                    ? null
                                    : event.getDetails().get("identity_provider")),
                    null);
        }
        String country = country(event);
        String prefix = AddressPrefix.of(event.getIpAddress());
        unknownCountryHeader().ifPresent(value -> {
            RiskSettings.Rule unknown = settings.rule(RiskRule.COUNTRY_UNKNOWN);
            if (unknown.on()
                    && !firedRecently(
                            RiskRule.COUNTRY_UNKNOWN,
                            user,
                            unknown.window(),
                            now,
                            "\"countryHeader\":\"" + value + "\"")) {
                fire(
                        RiskRule.COUNTRY_UNKNOWN,
                        onboardingCase,
                        user,
                        evidence(event, "countryHeader", value, "countryFromRanges", country),
                        null);
            }
        });
        if (onboardingCase.getStage() == Stage.VERIFIED
                && policy.passkeyBinding()
                && onboardingCase.getVerifiedCredentialId() != null
                && event.getSessionId() != null) {
            boundPasskeyCheck(onboardingCase, user, event);
        }
        RiskSettings.Rule notAllowed = settings.rule(RiskRule.COUNTRY_NOT_ALLOWED);
        if (notAllowed.on() && country != null && !notAllowed.list("allowed").contains(country)) {
            fire(
                    RiskRule.COUNTRY_NOT_ALLOWED,
                    onboardingCase,
                    user,
                    evidence(event, "country", country, "allowed", notAllowed.list("allowed")),
                    null);
        }
        if (traces.seenSince(realm.getId(), user.getId(), prefix, country, now - TRACE_INTERVAL.toMillis())) {
            // Nothing new about where this user logs in from: the pattern rules have nothing to add.
            return;
        }
        traces.record(realm.getId(), user.getId(), LoginTraceEntity.SUCCESS, prefix, country, now);
        RiskSettings.Rule hop = settings.rule(RiskRule.COUNTRY_HOP);
        if (hop.on() && country != null) {
            List<String> countries = traces.countriesSince(
                    realm.getId(), user.getId(), now - hop.window().toMillis());
            if (countries.size() > 1
                    && !firedRecently(
                            RiskRule.COUNTRY_HOP, user, hop.window(), now, "\"country\":\"" + country + "\"")) {
                fire(
                        RiskRule.COUNTRY_HOP,
                        onboardingCase,
                        user,
                        evidence(
                                event,
                                "country",
                                country,
                                "countries",
                                countries.stream().sorted().toList(),
                                "window",
                                hop.window().toString()),
                        null);
            }
        }
        RiskSettings.Rule shared = settings.rule(RiskRule.SHARED_ADDRESS);
        if (shared.on() && prefix != null) {
            List<String> userIds = traces.usersAtSince(
                    realm.getId(), prefix, now - shared.window().toMillis());
            if (userIds.size() >= shared.count("accounts")
                    && !firedRecently(
                            RiskRule.SHARED_ADDRESS,
                            user,
                            shared.window(),
                            now,
                            "\"addressPrefix\":\"" + prefix + "\"")) {
                List<String> usernames = new ArrayList<>();
                for (String id : userIds) {
                    String username = Users.username(session, realm, id);
                    usernames.add(username == null ? id : username);
                }
                fire(
                        RiskRule.SHARED_ADDRESS,
                        onboardingCase,
                        user,
                        evidence(
                                event,
                                "addressPrefix",
                                prefix,
                                "accounts",
                                usernames.stream().sorted().toList(),
                                "window",
                                shared.window().toString()),
                        null);
            }
        }
    }

    private void failedLogin(OnboardingCaseEntity onboardingCase, UserModel user, Event event) {
        long now = System.currentTimeMillis();
        traces.record(
                realm.getId(),
                user.getId(),
                LoginTraceEntity.FAILURE,
                AddressPrefix.of(event.getIpAddress()),
                country(event),
                now);
        RiskSettings.Rule burst = settings.rule(RiskRule.FAILED_LOGIN_BURST);
        if (!burst.on()) {
            return;
        }
        long failures = traces.failuresSince(
                realm.getId(), user.getId(), now - burst.window().toMillis());
        if (failures >= burst.count("failures")
                && !firedRecently(RiskRule.FAILED_LOGIN_BURST, user, burst.window(), now, null)) {
            fire(
                    RiskRule.FAILED_LOGIN_BURST,
                    onboardingCase,
                    user,
                    evidence(
                            event,
                            "failures",
                            failures,
                            "window",
                            burst.window().toString(),
                            "error",
                            event.getError()),
                    null);
        }
    }

    private void credentialChange(
            OnboardingCaseEntity onboardingCase, UserModel user, Event event, Map<String, String> details) {
        // Setting up credentials from the invitation happens before probation and is expected. After
        // verification (within the watch period the caller checked) a new credential is how a stand-in
        // takes over an account the verified person handed on.
        if (onboardingCase.getStage() == Stage.INVITED) {
            return;
        }
        String credentialType = details.get("credential_type");
        Ceremonies ceremonies = new Ceremonies(session, realm);
        Optional<CeremonyEntity> open = ceremonies.openFor(onboardingCase);
        // The one passkey the identity ceremony asks for is expected; anything else while a ceremony is
        // open (a second passkey, a new password or OTP, a removed credential) may be a stand-in's.
        boolean passkeyForCeremony = open.isPresent()
                && open.get().getStep().seesThePerson()
                && "UPDATE_CREDENTIAL".equals(event.getType().name())
                && WebAuthnCredentialModel.TYPE_PASSWORDLESS.equals(credentialType)
                && Ceremonies.passkeysRegisteredDuring(user, open.get()).size() <= 1;
        if (passkeyForCeremony) {
            return;
        }
        open.ifPresent(ceremonies::voidCode);
        fire(
                RiskRule.CREDENTIAL_CHANGE,
                onboardingCase,
                user,
                evidence(
                        event,
                        "event",
                        event.getType().name(),
                        "credentialType",
                        credentialType,
                        "stage",
                        onboardingCase.getStage().name(),
                        "ceremonyCodeVoided",
                        open.isPresent()),
                null);
    }

    /**
     * Contact fields that changed with no event of their own since the case last saw them: an identity
     * provider's FORCE sync, an LDAP sync, an admin or a script. Compared at every login.
     */
    private void contactChangedUnseen(OnboardingCaseEntity onboardingCase, UserModel user, Event event) {
        List<String> changed = takeContactFingerprint(onboardingCase, user);
        if (!changed.isEmpty()) {
            new HiringRecordChecks(session, realm)
                    .contactsChanged(
                            onboardingCase, user, changed, event.getType().name(), user.getId());
            fire(
                    RiskRule.CONTACT_CHANGE,
                    onboardingCase,
                    user,
                    evidence(
                            event,
                            "changedWithoutEvent",
                            changed,
                            "identityProvider",
                            event.getDetails() == null
                                    ? null
                                    : event.getDetails().get("identity_provider")),
                    null);
        }
    }

    /** Stores the contact fields as seen now; returns those that changed since the case last saw them. */
    private List<String> takeContactFingerprint(OnboardingCaseEntity onboardingCase, UserModel user) {
        String now = new OnboardingCases(session, realm).contactFingerprint(onboardingCase, user);
        String before = onboardingCase.getContactFingerprint();
        if (now.equals(before)) {
            return List.of();
        }
        onboardingCase.setContactFingerprint(now);
        return ContactFingerprint.changed(before, now);
    }

    /**
     * An admin saved the user: contact fields they changed are a contact change like the user's own,
     * named with the admin, raised now rather than at the next login.
     */
    public static void onAdminUpdate(KeycloakSession session, RealmModel realm, UserModel user, String actor) {
        RiskMonitor monitor = new RiskMonitor(session, realm, CountryRanges.none());
        Optional<OnboardingCaseEntity> monitored = monitor.monitoredCase(user);
        if (monitored.isEmpty()) {
            return;
        }
        List<String> changed = monitor.takeContactFingerprint(monitored.get(), user);
        if (!changed.isEmpty()) {
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("event", ADMIN_UPDATE);
            evidence.put("actor", actor);
            evidence.put("changedWithoutEvent", changed);
            new HiringRecordChecks(session, realm).contactsChanged(monitored.get(), user, changed, ADMIN_UPDATE, actor);
            monitor.fire(RiskRule.CONTACT_CHANGE, monitored.get(), user, evidence, null);
        }
    }

    private void contactChange(
            OnboardingCaseEntity onboardingCase, UserModel user, Event event, Map<String, String> details) {
        // Seen now through its own event; a field that changed without saying so since is reported too,
        // so a save of the profile cannot absorb an earlier silent change.
        List<String> unreported = new ArrayList<>(takeContactFingerprint(onboardingCase, user));
        unreported.removeIf(
                field -> details.containsKey("updated_" + field) || details.containsKey("previous_" + field));
        RiskSettings.Rule rule = settings.rule(RiskRule.CONTACT_CHANGE);
        Map<String, Object> changed = new LinkedHashMap<>();
        String previousEmail = details.get("previous_email");
        if (details.containsKey("updated_email")
                && !String.valueOf(details.get("updated_email")).equalsIgnoreCase(String.valueOf(previousEmail))) {
            changed.put("email", Map.of("from", String.valueOf(previousEmail), "to", details.get("updated_email")));
        }
        for (String attribute : rule.list("attributes")) {
            String key = "previous_" + attribute;
            if (details.containsKey(key)
                    && !String.valueOf(details.get(key)).equals(String.valueOf(details.get("updated_" + attribute)))) {
                changed.put(
                        attribute,
                        Map.of(
                                "from",
                                String.valueOf(details.get(key)),
                                "to",
                                String.valueOf(details.get("updated_" + attribute))));
            }
        }
        if (!changed.isEmpty() || !unreported.isEmpty()) {
            List<String> changedFields = new ArrayList<>(changed.keySet());
            changedFields.addAll(unreported);
            new HiringRecordChecks(session, realm)
                    .contactsChanged(
                            onboardingCase, user, changedFields, event.getType().name(), user.getId());
            Map<String, Object> evidence = evidence(event, "changed", changed);
            if (!unreported.isEmpty()) {
                evidence.put("changedWithoutEvent", unreported);
            }
            fire(
                    RiskRule.CONTACT_CHANGE,
                    onboardingCase,
                    user,
                    evidence,
                    changed.containsKey("email") ? previousEmail : null);
        }
    }

    private void fire(
            RiskRule rule,
            OnboardingCaseEntity onboardingCase,
            UserModel user,
            Map<String, Object> evidence,
            String previousEmail) {
        RiskSettings.Rule setting = settings.rule(rule);
        if (setting.on()) {
            new RiskResponder(session, realm).respond(onboardingCase, user, setting, evidence, previousEmail);
        }
    }

    /** Someone answered a recovery notice with "this wasn't me". Whatever the monitoring window: recovery is later. */
    public static void onRecoveryRepudiated(
            KeycloakSession session,
            RealmModel realm,
            UserModel user,
            OnboardingCaseEntity onboardingCase,
            Map<String, Object> evidence) {
        new RiskMonitor(session, realm, CountryRanges.none())
                .fire(RiskRule.RECOVERY_REPUDIATED, onboardingCase, user, evidence, null);
    }

    /** Someone took the probationary role or the case marker from a hire; both are back already. */
    public static void onTampering(
            KeycloakSession session,
            RealmModel realm,
            UserModel user,
            OnboardingCaseEntity onboardingCase,
            String what) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("removed", what);
        evidence.put("by", Actors.current(session));
        evidence.put("stage", onboardingCase.getStage().name());
        new RiskMonitor(session, realm, CountryRanges.none())
                .fire(RiskRule.PROBATION_TAMPERING, onboardingCase, user, evidence, null);
    }

    private void endSession(Event event) {
        if (event.getSessionId() != null) {
            UserSessionModel userSession = session.sessions().getUserSession(realm, event.getSessionId());
            if (userSession != null) {
                session.sessions().removeUserSession(realm, userSession);
            }
        }
    }

    /** A pending case, or one verified within the policy's monitoring period. */
    private Optional<OnboardingCaseEntity> monitoredCase(UserModel user) {
        return new CaseLookup(session, realm).caseOf(user).filter(c -> {
            if (c.getStage().isRestricted()) {
                return true;
            }
            if (c.getStage() != Stage.VERIFIED || settings.monitorVerifiedDays() == 0) {
                return false;
            }
            long since = System.currentTimeMillis()
                    - Duration.ofDays(settings.monitorVerifiedDays()).toMillis();
            return c.getHistory().stream().anyMatch(h -> h.getToStage() == Stage.VERIFIED && h.getAt() >= since);
        });
    }

    /**
     * Login-pattern rules fire once per window and user, not at every further login; a new country
     * or network (the evidence fragment) is news again.
     */
    private boolean firedRecently(RiskRule rule, UserModel user, Duration window, long now, String evidenceFragment) {
        return new RiskSignals(session)
                .recentOfUser(realm.getId(), user.getId(), rule.id(), now - window.toMillis()).stream()
                        .anyMatch(
                                s -> evidenceFragment == null || s.getEvidence().contains(evidenceFragment));
    }

    /** From the trusted proxy header if it names a country, else from the range file. */
    private String country(Event event) {
        Optional<String> header = countryHeader();
        if (header.isPresent() && CountryCodes.isCountry(header.get())) {
            return header.get();
        }
        return countryRanges.lookup(event.getIpAddress()).orElse(null);
    }

    /** The trusted header's value when it is present but names no country (T1, XX, malformed), shortened. */
    private Optional<String> unknownCountryHeader() {
        return countryHeader()
                .filter(value -> !CountryCodes.isCountry(value))
                .map(value -> value.length() > 16 ? value.substring(0, 16) : value);
    }

    private Optional<String> countryHeader() {
        if (settings.countryHeader().isEmpty() || session.getContext().getRequestHeaders() == null) {
            return Optional.empty();
        }
        String value = session.getContext().getRequestHeaders().getHeaderString(settings.countryHeader());
        return value == null || value.isBlank()
                ? Optional.empty()
                : Optional.of(value.trim().toUpperCase(Locale.ROOT));
    }

    /** A verified hire's login with anything but the passkey the verifier saw them register. */
    private void boundPasskeyCheck(OnboardingCaseEntity onboardingCase, UserModel user, Event event) {
        String method = SessionNotes.loginMethod(session.sessions().getUserSession(realm, event.getSessionId()))
                .orElse(null);
        String usedPasskey =
                event.getDetails() == null ? null : event.getDetails().get(USED_PASSKEY_DETAIL);
        String boundPasskey = null;
        if (usedPasskey != null && SessionNotes.LOGIN_PASSKEY.equals(method)) {
            boundPasskey = BoundPasskey.webAuthnIdOf(user, onboardingCase);
        }
        PasskeyBinding.check(method, usedPasskey, boundPasskey).ifPresent(unbound -> {
            Map<String, Object> evidence = evidence(
                    event,
                    "reason",
                    unbound.code(),
                    "verifiedCredentialId",
                    onboardingCase.getVerifiedCredentialId(),
                    "loginMethod",
                    method,
                    "identityProvider",
                    event.getDetails() == null ? null : event.getDetails().get("identity_provider"));
            if (unbound == PasskeyBinding.Unbound.OTHER_PASSKEY) {
                evidence.put("passkeyId", usedPasskey);
            }
            fire(RiskRule.UNBOUND_LOGIN, onboardingCase, user, evidence, null);
        });
    }

    private static Map<String, Object> evidence(Event event, Object... pairs) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("event", event.getType().name());
        evidence.put("ipAddress", event.getIpAddress());
        evidence.put("clientId", event.getClientId());
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            evidence.put((String) pairs[i], pairs[i + 1]);
        }
        return evidence;
    }
}
