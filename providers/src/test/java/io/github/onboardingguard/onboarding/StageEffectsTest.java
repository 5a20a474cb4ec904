package io.github.onboardingguard.onboarding;

import static io.github.onboardingguard.onboarding.StageEffects.Effect.APPLY_HELD_GRANTS;
import static io.github.onboardingguard.onboarding.StageEffects.Effect.DISABLE;
import static io.github.onboardingguard.onboarding.StageEffects.Effect.DROP_PROBATIONARY_ROLE;
import static io.github.onboardingguard.onboarding.StageEffects.Effect.ENABLE;
import static io.github.onboardingguard.onboarding.StageEffects.Effect.END_SESSIONS;
import static io.github.onboardingguard.onboarding.StageEffects.Effect.GRANT_PROBATIONARY_ROLE;
import static io.github.onboardingguard.onboarding.StageEffects.Effect.HOLD_RESTRICTED;
import static io.github.onboardingguard.onboarding.StageEffects.Effect.MARK_NARROWED;
import static io.github.onboardingguard.onboarding.StageEffects.Effect.REFRESH_SESSION_NOTES;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.onboardingguard.onboarding.StageEffects.Effect;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every legal stage change, with the effects on the account the extension has always had for it. */
@DisplayName("Stage effects: what each legal stage change does to the account, in order")
class StageEffectsTest {

    private static final List<Effect> BLOCKED = List.of(MARK_NARROWED, DISABLE, END_SESSIONS);
    private static final List<Effect> NOTES = List.of(REFRESH_SESSION_NOTES);
    private static final List<Effect> PROMOTED = List.of(APPLY_HELD_GRANTS, DROP_PROBATIONARY_ROLE, END_SESSIONS);

    /** "FROM -EVENT-> TO" (with the stage a suspended case left) to its effects; every legal change once. */
    private static final Map<String, List<Effect>> PINNED = new LinkedHashMap<>();

    static {
        PINNED.put("INVITED -FIRST_LOGIN-> PROBATION", NOTES);
        PINNED.put("PROBATION -DOCUMENT_APPROVED-> DOCUMENT_VERIFIED", NOTES);
        PINNED.put("PROBATION -IDENTITY_APPROVED-> VERIFIED", PROMOTED);
        PINNED.put("DOCUMENT_VERIFIED -IDENTITY_APPROVED-> VERIFIED", PROMOTED);
        for (String pending : List.of("INVITED", "PROBATION", "DOCUMENT_VERIFIED")) {
            PINNED.put(pending + " -DEADLINE_PASSED-> EXPIRED", BLOCKED);
            PINNED.put(pending + " -SUSPEND-> SUSPENDED", BLOCKED);
            PINNED.put(pending + " -REJECT-> REJECTED", BLOCKED);
            PINNED.put(
                    "SUSPENDED(from " + pending + ") -REINSTATE-> " + pending, List.of(ENABLE, REFRESH_SESSION_NOTES));
            PINNED.put("SUSPENDED(from " + pending + ") -REJECT-> REJECTED", BLOCKED);
        }
        PINNED.put("VERIFIED -SUSPEND-> SUSPENDED", BLOCKED);
        PINNED.put(
                "SUSPENDED(from VERIFIED) -REINSTATE-> VERIFIED",
                List.of(ENABLE, APPLY_HELD_GRANTS, DROP_PROBATIONARY_ROLE, END_SESSIONS));
        PINNED.put("SUSPENDED(from VERIFIED) -REJECT-> REJECTED", BLOCKED);
        PINNED.put(
                "VERIFIED -REVERIFY-> PROBATION",
                List.of(MARK_NARROWED, GRANT_PROBATIONARY_ROLE, HOLD_RESTRICTED, END_SESSIONS));
        PINNED.put(
                "VERIFIED -RECOVERY_STARTED-> RECOVERY",
                List.of(MARK_NARROWED, GRANT_PROBATIONARY_ROLE, HOLD_RESTRICTED, END_SESSIONS));
        PINNED.put("RECOVERY -RECOVERED-> VERIFIED", PROMOTED);
        PINNED.put(
                "RECOVERY -REVERIFY-> PROBATION",
                List.of(MARK_NARROWED, GRANT_PROBATIONARY_ROLE, HOLD_RESTRICTED, END_SESSIONS));
        PINNED.put("RECOVERY -SUSPEND-> SUSPENDED", BLOCKED);
        PINNED.put("SUSPENDED(from RECOVERY) -REINSTATE-> RECOVERY", List.of(ENABLE, REFRESH_SESSION_NOTES));
        PINNED.put("SUSPENDED(from RECOVERY) -REJECT-> REJECTED", BLOCKED);
    }

    @Test
    @DisplayName(
            "every change the stage machine allows (either document-step policy) has the pinned effects, and no other change exists")
    void everyLegalChangeIsPinned() {
        Map<String, List<Effect>> actual = new LinkedHashMap<>();
        // A case is suspended only from a pending stage, VERIFIED or RECOVERY (StageMachine's SUSPEND).
        List<Stage> suspendedFrom =
                List.of(Stage.INVITED, Stage.PROBATION, Stage.DOCUMENT_VERIFIED, Stage.VERIFIED, Stage.RECOVERY);
        for (Stage from : Stage.values()) {
            for (StageEvent event : StageEvent.values()) {
                for (Stage left :
                        from == Stage.SUSPENDED ? suspendedFrom : java.util.Collections.<Stage>singletonList(null)) {
                    for (boolean documentStep : new boolean[] {true, false}) {
                        Stage to;
                        try {
                            to = StageMachine.next(from, event, left, documentStep);
                        } catch (IllegalTransitionException illegal) {
                            continue;
                        }
                        String change =
                                (left == null ? from.name() : from + "(from " + left + ")") + " -" + event + "-> " + to;
                        actual.put(change, StageEffects.of(from, event, to));
                    }
                }
            }
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(PINNED);
    }

    @Test
    @DisplayName("the narrowing time comes first and sessions end last wherever access shrinks or grows")
    void narrowingFirstSessionsLast() {
        PINNED.values().stream()
                .filter(effects -> effects.contains(MARK_NARROWED))
                .forEach(effects -> assertThat(effects.get(0)).isEqualTo(MARK_NARROWED));
        PINNED.values().stream()
                .filter(effects -> effects.contains(END_SESSIONS))
                .forEach(effects -> assertThat(effects.get(effects.size() - 1)).isEqualTo(END_SESSIONS));
    }
}
