package io.github.onboardingguard.keycloak.risk;

import java.time.Duration;
import org.keycloak.models.KeycloakSession;
import org.keycloak.timer.ScheduledTask;

/** Forgets login traces older than the longest rule window allows. Runs on one cluster node at a time. */
public final class LoginTracePruneTask implements ScheduledTask {

    public static final String NAME = "onboarding-guard-login-traces";
    /** Rule windows are at most 30 days. */
    static final Duration KEEP = Duration.ofDays(31);

    @Override
    public void run(KeycloakSession session) {
        new LoginTraces(session).pruneBefore(System.currentTimeMillis() - KEEP.toMillis());
    }

    @Override
    public String getTaskName() {
        return NAME;
    }
}
