package io.github.onboardingguard.verification;

import io.github.onboardingguard.onboarding.IllegalTransitionException;
import io.github.onboardingguard.onboarding.Stage;
import io.github.onboardingguard.onboarding.StageEvent;
import io.github.onboardingguard.onboarding.StageMachine;
import java.util.Optional;

/**
 * The human checks: a hire's ID document, then the person; and, for a verified hire whose account went
 * into recovery, the person again with their document, held against the onboarding record.
 */
public enum VerificationStep {
    DOCUMENT(StageEvent.DOCUMENT_APPROVED),
    IDENTITY(StageEvent.IDENTITY_APPROVED),
    RECOVERY(StageEvent.RECOVERED),
    /**
     * A helpdesk member checks that a caller is the verified hire: the code on the hire's own page, or a
     * sign-in with the bound passkey. Changes no stage; a passed check lets that member reset a credential.
     */
    HELPDESK(null);

    private final StageEvent approval;

    VerificationStep(StageEvent approval) {
        this.approval = approval;
    }

    public StageEvent approval() {
        return approval;
    }

    /** Whether the step sees the person: with passkey binding, the passkey registered during it is bound. */
    public boolean seesThePerson() {
        return this == IDENTITY || this == RECOVERY;
    }

    /** Whether the verifier types the document's facts (names, type, country, number) into the checklist. */
    public boolean recordsDocumentFacts() {
        return this == DOCUMENT || this == RECOVERY;
    }

    /** Whether a verifier runs it (the helpdesk runs its own check). */
    public boolean byVerifier() {
        return this != HELPDESK;
    }

    /**
     * The step a case in {@code stage} waits for, if any. The stage machine decides, so the rule
     * "no identity step before a required document step" lives in one place.
     */
    public static Optional<VerificationStep> awaitedIn(Stage stage, boolean documentStepRequired) {
        for (VerificationStep step : values()) {
            if (step.byVerifier() && allowedIn(stage, documentStepRequired, step)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }

    public static boolean allowedIn(Stage stage, boolean documentStepRequired, VerificationStep step) {
        if (step == HELPDESK) {
            return stage == Stage.VERIFIED;
        }
        try {
            StageMachine.next(stage, step.approval, null, documentStepRequired);
            return true;
        } catch (IllegalTransitionException e) {
            return false;
        }
    }
}
