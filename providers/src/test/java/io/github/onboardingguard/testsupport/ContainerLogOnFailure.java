package io.github.onboardingguard.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the tail of Keycloak's log when a test fails, since most failures are explained there. */
public final class ContainerLogOnFailure implements TestWatcher {

    private static final int TAIL_CHARS = 60_000;

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        String logs = KeycloakTestServer.logs();
        String tail = logs.length() > TAIL_CHARS ? logs.substring(logs.length() - TAIL_CHARS) : logs;
        System.err.println("==== Keycloak log (tail) after failure of " + context.getDisplayName() + " ====");
        System.err.println(tail);
        System.err.println("==== end of Keycloak log ====");
    }
}
