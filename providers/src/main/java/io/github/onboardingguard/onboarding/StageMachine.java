package io.github.onboardingguard.onboarding;

/**
 * The one place that decides how a case's stage may change.
 *
 * <pre>
 * INVITED --FIRST_LOGIN--> PROBATION --DOCUMENT_APPROVED--> DOCUMENT_VERIFIED --IDENTITY_APPROVED--> VERIFIED
 *                          PROBATION --IDENTITY_APPROVED--> VERIFIED   (only if the document step is not required)
 * INVITED | PROBATION | DOCUMENT_VERIFIED --DEADLINE_PASSED--> EXPIRED
 * INVITED | PROBATION | DOCUMENT_VERIFIED | VERIFIED --SUSPEND--> SUSPENDED --REINSTATE--> (stage it left)
 * INVITED | PROBATION | DOCUMENT_VERIFIED | SUSPENDED --REJECT--> REJECTED
 * VERIFIED | RECOVERY --REVERIFY--> PROBATION
 * VERIFIED --RECOVERY_STARTED--> RECOVERY --RECOVERED--> VERIFIED
 * RECOVERY --SUSPEND--> SUSPENDED --REINSTATE--> RECOVERY
 * </pre>
 */
public final class StageMachine {

    private StageMachine() {}

    /**
     * @param suspendedFrom the stage a SUSPENDED case left; ignored in other stages
     * @param documentStepRequired policy: whether IDENTITY_APPROVED needs DOCUMENT_VERIFIED first
     * @return the stage after the event
     * @throws IllegalTransitionException if the event is not allowed in {@code from}
     */
    public static Stage next(Stage from, StageEvent event, Stage suspendedFrom, boolean documentStepRequired) {
        return switch (event) {
            case FIRST_LOGIN ->
                require(
                        from == Stage.INVITED,
                        from,
                        event,
                        "only an invited hire logs in for the first time",
                        Stage.PROBATION);
            case DOCUMENT_APPROVED ->
                require(
                        from == Stage.PROBATION,
                        from,
                        event,
                        "the document is checked once, during probation",
                        Stage.DOCUMENT_VERIFIED);
            case IDENTITY_APPROVED -> identityApproved(from, documentStepRequired);
            case DEADLINE_PASSED ->
                require(from.isPending(), from, event, "only a case still in onboarding expires", Stage.EXPIRED);
            case SUSPEND ->
                require(
                        from.isPending() || from == Stage.VERIFIED || from == Stage.RECOVERY,
                        from,
                        event,
                        "the case is already suspended or closed",
                        Stage.SUSPENDED);
            case REINSTATE -> reinstate(from, suspendedFrom);
            case REJECT ->
                require(
                        from.isPending() || from == Stage.SUSPENDED,
                        from,
                        event,
                        "a verified or closed case cannot be rejected",
                        Stage.REJECTED);
            case REVERIFY ->
                require(
                        from == Stage.VERIFIED || from == Stage.RECOVERY,
                        from,
                        event,
                        "only a verified hire (or one in recovery) can be sent back to verification",
                        Stage.PROBATION);
            case RECOVERY_STARTED ->
                require(
                        from == Stage.VERIFIED,
                        from,
                        event,
                        "only a verified hire recovers an account; others are still onboarding",
                        Stage.RECOVERY);
            case RECOVERED ->
                require(from == Stage.RECOVERY, from, event, "the account is not in recovery", Stage.VERIFIED);
        };
    }

    private static Stage identityApproved(Stage from, boolean documentStepRequired) {
        if (from == Stage.DOCUMENT_VERIFIED) {
            return Stage.VERIFIED;
        }
        if (from == Stage.PROBATION) {
            if (documentStepRequired) {
                throw new IllegalTransitionException(
                        from,
                        StageEvent.IDENTITY_APPROVED,
                        "policy requires the document step before the identity step");
            }
            return Stage.VERIFIED;
        }
        throw new IllegalTransitionException(from, StageEvent.IDENTITY_APPROVED, "the hire must be in probation");
    }

    private static Stage reinstate(Stage from, Stage suspendedFrom) {
        if (from != Stage.SUSPENDED) {
            throw new IllegalTransitionException(from, StageEvent.REINSTATE, "the case is not suspended");
        }
        if (suspendedFrom == null || !(suspendedFrom.isRestricted() || suspendedFrom == Stage.VERIFIED)) {
            throw new IllegalTransitionException(from, StageEvent.REINSTATE, "the stage before suspension is unknown");
        }
        return suspendedFrom;
    }

    private static Stage require(boolean allowed, Stage from, StageEvent event, String reason, Stage to) {
        if (!allowed) {
            throw new IllegalTransitionException(from, event, reason);
        }
        return to;
    }
}
