package io.github.onboardingguard.keycloak.cases;

import io.github.onboardingguard.keycloak.support.ApiError;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;

/** Refusing what a request did, where an event listener cannot simply throw. */
public final class Refusals {

    private Refusals() {}

    /**
     * Rolls the request back even where Keycloak commits on its own before answering (a user update
     * does) or swallows a listener's exception (admin events): the commit's first phase fails with
     * {@code error}, which is the answer the caller gets.
     */
    public static void atCommit(KeycloakSession session, ApiError error) {
        session.getTransactionManager().setRollbackOnly();
        session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                throw error;
            }

            @Override
            protected void rollbackImpl() {
                // Nothing of its own to undo.
            }
        });
    }
}
