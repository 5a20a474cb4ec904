package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.onboarding.Stage;
import org.jboss.logging.Logger;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderEvent;

/**
 * A moment of a case that others may act on, published to Keycloak's provider event listeners
 * (Keycloak's Workflows among them) after the case change has committed, in a transaction of its
 * own: a listener that fails never undoes the onboarding change, and a rolled-back change is never
 * announced.
 */
public final class CaseEvent implements ProviderEvent {

    public enum Kind {
        CREATED,
        STAGE_CHANGED,
        DEADLINE_APPROACHING
    }

    private static final Logger LOG = Logger.getLogger(CaseEvent.class);

    private final KeycloakSession session;
    private final Kind kind;
    private final String userId;
    private final Stage stage;
    private final Integer daysBefore;

    private CaseEvent(KeycloakSession session, Kind kind, String userId, Stage stage, Integer daysBefore) {
        this.session = session;
        this.kind = kind;
        this.userId = userId;
        this.stage = stage;
        this.daysBefore = daysBefore;
    }

    @Override
    public KeycloakSession getKeycloakSession() {
        return session;
    }

    public Kind kind() {
        return kind;
    }

    public String userId() {
        return userId;
    }

    /** The case's stage after the moment. */
    public Stage stage() {
        return stage;
    }

    /** For {@link Kind#DEADLINE_APPROACHING}: the reminder's days before the deadline. */
    public Integer daysBefore() {
        return daysBefore;
    }

    static void afterCommit(
            KeycloakSession session, RealmModel realm, Kind kind, String userId, Stage stage, Integer daysBefore) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                try {
                    KeycloakModelUtils.runJobInTransaction(factory, eventSession -> {
                        RealmModel eventRealm = eventSession.realms().getRealm(realmId);
                        if (eventRealm != null) {
                            eventSession.getContext().setRealm(eventRealm);
                            factory.publish(new CaseEvent(eventSession, kind, userId, stage, daysBefore));
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.warnf(e, "A listener of onboarding event %s for user %s failed", kind, userId);
                }
            }

            @Override
            protected void rollbackImpl() {
                // The change did not happen.
            }
        });
    }
}
