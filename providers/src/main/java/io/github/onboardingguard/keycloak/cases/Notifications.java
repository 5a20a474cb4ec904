package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.support.Users;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;
import org.keycloak.common.util.HtmlUtils;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakSessionTask;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.adapter.InMemoryUserAdapter;

/**
 * Every email the extension sends (sponsor notices, risk alerts), through Keycloak's sender and
 * the realm's email theme. Mail leaves only after the change it reports has committed, and on a
 * thread of its own: a rolled-back change sends nothing, and a slow mail server never holds up a
 * login or an API call. Best effort, like Keycloak's own event emails: a failure is logged.
 */
public final class Notifications {

    /** Keycloak's executor pool for the mail; its size is Keycloak's executor configuration. */
    static final String EXECUTOR = "onboarding-guard-mail";

    private static final Logger LOG = Logger.getLogger(Notifications.class);

    private Notifications() {}

    /** What to send: a subject key and template of the email theme, and the template's attributes. */
    public record Mail(String subjectKey, String template, Map<String, ?> attributes) {
        public Mail {
            attributes = Map.copyOf(attributes);
        }
    }

    /** To the sponsor of the case, in the sponsor's language; nothing if there is no sponsor with an email. */
    public static void toSponsor(
            KeycloakSession session, RealmModel realm, OnboardingCaseEntity onboardingCase, Mail mail) {
        if (onboardingCase.getSponsorId() != null) {
            afterCommit(
                    session,
                    realm.getId(),
                    onboardingCase.getUserId(),
                    new Recipient(onboardingCase.getSponsorId(), null),
                    mail);
        }
    }

    /** To the hire, in the hire's language; nothing if they have no email. */
    public static void toHire(
            KeycloakSession session, RealmModel realm, OnboardingCaseEntity onboardingCase, Mail mail) {
        afterCommit(
                session,
                realm.getId(),
                onboardingCase.getUserId(),
                new Recipient(onboardingCase.getUserId(), null),
                mail);
    }

    /** To an address that belongs to no user (the security team, a hire's previous address), in the realm's language. */
    public static void toAddress(KeycloakSession session, RealmModel realm, String address, UserModel hire, Mail mail) {
        if (address != null && !address.isBlank()) {
            afterCommit(session, realm.getId(), hire.getId(), new Recipient(null, address.trim()), mail);
        }
    }

    private record Recipient(String userId, String address) {}

    private static void afterCommit(
            KeycloakSession session, String realmId, String hireId, Recipient recipient, Mail mail) {
        afterCommit(
                session,
                mail.template() + " about user " + hireId,
                mailSession -> send(mailSession, realmId, hireId, recipient, mail));
    }

    /**
     * Runs {@code delivery} once the current transaction has committed, on the mail threads, in a
     * transaction of its own; nothing if it rolls back. {@code what} names it in the log.
     */
    public static void afterCommit(KeycloakSession session, String what, KeycloakSessionTask delivery) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        ExecutorService executor = session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                try {
                    executor.execute(() -> {
                        try {
                            KeycloakModelUtils.runJobInTransaction(factory, delivery);
                        } catch (RuntimeException e) {
                            LOG.warnf(e, "Could not send %s", what);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    LOG.warnf("Mail %s dropped: the server is shutting down", what);
                }
            }

            @Override
            protected void rollbackImpl() {
                // The change did not happen, so there is nothing to tell anyone.
            }
        });
    }

    private static void send(KeycloakSession session, String realmId, String hireId, Recipient recipient, Mail mail) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        UserModel hire = session.users().getUserById(realm, hireId);
        UserModel to = recipient.userId() != null
                ? session.users().getUserById(realm, recipient.userId())
                : addressee(session, realm, recipient.address());
        if (hire == null || to == null || to.getEmail() == null) {
            return;
        }
        String hireName = Users.displayName(hire);
        // Mutable: the template provider adds its own attributes. The language comes from the
        // recipient's profile or the realm default, never from whoever caused the mail.
        Map<String, Object> attributes = new HashMap<>(mail.attributes());
        attributes.put("hireName", hireName);
        attributes.put("hireUsername", hire.getUsername());
        // The HTML templates get them escaped: a name from a directory or an upstream provider may
        // carry markup, and kcSanitize keeps links, so a hire could otherwise plant one in a sponsor's mail.
        attributes.put("hireNameHtml", HtmlUtils.escapeAttribute(hireName));
        attributes.put("hireUsernameHtml", HtmlUtils.escapeAttribute(hire.getUsername()));
        attributes.put(Constants.IGNORE_ACCEPT_LANGUAGE_HEADER, true);
        try {
            session.getProvider(EmailTemplateProvider.class)
                    .setRealm(realm)
                    .setUser(to)
                    .send(mail.subjectKey(), List.of(hireName), mail.template(), attributes);
        } catch (EmailException e) {
            LOG.warnf(e, "Could not email %s about user %s (%s)", to.getEmail(), hire.getUsername(), mail.template());
        }
    }

    private static UserModel addressee(KeycloakSession session, RealmModel realm, String address) {
        InMemoryUserAdapter recipient = new InMemoryUserAdapter(session, realm, "onboarding-mail-recipient");
        recipient.setEmail(address);
        recipient.setEnabled(true);
        return recipient;
    }
}
