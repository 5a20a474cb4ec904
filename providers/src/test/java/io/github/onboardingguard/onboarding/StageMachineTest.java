package io.github.onboardingguard.onboarding;

import static io.github.onboardingguard.onboarding.Stage.*;
import static io.github.onboardingguard.onboarding.StageEvent.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StageMachineTest {

    private record Key(Stage from, StageEvent event, boolean documentRequired) {}

    /** Every allowed transition (SUSPENDED is tested separately: its outcome depends on the stage it left). */
    private static final Map<Key, Stage> ALLOWED = allowed();

    private static Map<Key, Stage> allowed() {
        Map<Key, Stage> map = new java.util.HashMap<>();
        for (boolean doc : new boolean[] {true, false}) {
            map.put(new Key(INVITED, FIRST_LOGIN, doc), PROBATION);
            map.put(new Key(PROBATION, DOCUMENT_APPROVED, doc), DOCUMENT_VERIFIED);
            map.put(new Key(DOCUMENT_VERIFIED, IDENTITY_APPROVED, doc), VERIFIED);
            for (Stage pending : List.of(INVITED, PROBATION, DOCUMENT_VERIFIED)) {
                map.put(new Key(pending, DEADLINE_PASSED, doc), EXPIRED);
                map.put(new Key(pending, SUSPEND, doc), SUSPENDED);
                map.put(new Key(pending, REJECT, doc), REJECTED);
            }
            map.put(new Key(VERIFIED, SUSPEND, doc), SUSPENDED);
            map.put(new Key(VERIFIED, REVERIFY, doc), PROBATION);
            map.put(new Key(VERIFIED, StageEvent.RECOVERY_STARTED, doc), Stage.RECOVERY);
            map.put(new Key(Stage.RECOVERY, StageEvent.RECOVERED, doc), VERIFIED);
            map.put(new Key(Stage.RECOVERY, SUSPEND, doc), SUSPENDED);
            map.put(new Key(Stage.RECOVERY, REVERIFY, doc), PROBATION);
            map.put(new Key(SUSPENDED, REJECT, doc), REJECTED);
        }
        map.put(new Key(PROBATION, IDENTITY_APPROVED, false), VERIFIED);
        return map;
    }

    static Stream<Arguments> everyCombinationOutsideSuspended() {
        List<Arguments> all = new ArrayList<>();
        for (Stage from : Stage.values()) {
            if (from == SUSPENDED) {
                continue;
            }
            for (StageEvent event : StageEvent.values()) {
                for (boolean doc : new boolean[] {true, false}) {
                    all.add(Arguments.of(from, event, doc));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} --{1}--> (document step required: {2})")
    @MethodSource("everyCombinationOutsideSuspended")
    @DisplayName("allows exactly the listed transitions and refuses every other one")
    void transitionTable(Stage from, StageEvent event, boolean documentRequired) {
        Stage expected = ALLOWED.get(new Key(from, event, documentRequired));
        if (expected != null) {
            assertThat(StageMachine.next(from, event, null, documentRequired)).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> StageMachine.next(from, event, null, documentRequired))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(event.name())
                    .hasMessageContaining(from.name());
        }
    }

    static Stream<Arguments> suspendedCombinations() {
        List<Arguments> all = new ArrayList<>();
        for (Stage left : Stage.values()) {
            for (StageEvent event : StageEvent.values()) {
                all.add(Arguments.of(left, event));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "SUSPENDED (left {0}) --{1}-->")
    @MethodSource("suspendedCombinations")
    @DisplayName("a suspended case returns only to the stage it left, or is rejected")
    void suspended(Stage left, StageEvent event) {
        boolean leftRestorable = left.isRestricted() || left == VERIFIED;
        if (event == REINSTATE && leftRestorable) {
            assertThat(StageMachine.next(SUSPENDED, REINSTATE, left, true)).isEqualTo(left);
        } else if (event == REJECT) {
            assertThat(StageMachine.next(SUSPENDED, REJECT, left, true)).isEqualTo(REJECTED);
        } else {
            assertThatThrownBy(() -> StageMachine.next(SUSPENDED, event, left, true))
                    .isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    @DisplayName("reinstating without a known previous stage is refused")
    void reinstateNeedsPreviousStage() {
        assertThatThrownBy(() -> StageMachine.next(SUSPENDED, REINSTATE, null, true))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("unknown");
    }

    @Test
    @DisplayName("the identity step before a required document step names the reason")
    void identityBeforeDocument() {
        assertThatThrownBy(() -> StageMachine.next(PROBATION, IDENTITY_APPROVED, null, true))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("document step");
    }

    @Test
    @DisplayName("expired and rejected are final")
    void finalStages() {
        for (Stage stage : List.of(EXPIRED, REJECTED)) {
            assertThat(stage.isFinal()).isTrue();
            for (StageEvent event : StageEvent.values()) {
                assertThatThrownBy(() -> StageMachine.next(stage, event, PROBATION, false))
                        .isInstanceOf(IllegalTransitionException.class);
            }
        }
    }
}
