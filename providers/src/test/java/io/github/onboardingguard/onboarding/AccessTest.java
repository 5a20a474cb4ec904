package io.github.onboardingguard.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Access: the one probation decision, over every stage, deadline, policy state and client")
class AccessTest {

    private static final long NOW = 1_000_000L;
    private static final BooleanSupplier YES = () -> true;
    private static final BooleanSupplier NO = () -> false;
    private static final BooleanSupplier NOT_ASKED = () -> {
        throw new AssertionError("not needed for this decision");
    };

    @Test
    @DisplayName("suspended, expired and rejected hires are closed everywhere, whatever the policy says")
    void blockedStagesAreClosed() {
        for (Stage stage : new Stage[] {Stage.SUSPENDED, Stage.EXPIRED, Stage.REJECTED}) {
            assertThat(Access.decide(stage, 0, NOW, NOT_ASKED, NOT_ASKED))
                    .as(stage.name())
                    .isEqualTo(Access.CLOSED);
        }
    }

    @Test
    @DisplayName("a pending hire past the deadline is closed before the expiry task gets to the case")
    void overdueIsClosed() {
        for (Stage stage : new Stage[] {Stage.INVITED, Stage.PROBATION, Stage.DOCUMENT_VERIFIED}) {
            assertThat(Access.decide(stage, NOW, NOW, NOT_ASKED, NOT_ASKED))
                    .as(stage.name())
                    .isEqualTo(Access.CLOSED);
            assertThat(Access.decide(stage, NOW + 1, NOW, YES, YES))
                    .as(stage.name())
                    .isEqualTo(Access.OPEN);
            assertThat(Access.decide(stage, 0, NOW, YES, YES)).as("no deadline").isEqualTo(Access.OPEN);
        }
    }

    @Test
    @DisplayName("a pending hire meets an unreadable policy as a refusal, and otherwise the policy's client list")
    void pendingFollowsThePolicy() {
        for (Stage stage : new Stage[] {Stage.INVITED, Stage.PROBATION, Stage.DOCUMENT_VERIFIED}) {
            assertThat(Access.decide(stage, NOW + 1, NOW, NO, NOT_ASKED)).isEqualTo(Access.POLICY_INVALID);
            assertThat(Access.decide(stage, NOW + 1, NOW, YES, NO)).isEqualTo(Access.NOT_YET);
            assertThat(Access.decide(stage, NOW + 1, NOW, YES, YES)).isEqualTo(Access.OPEN);
        }
    }

    @Test
    @DisplayName(
            "a verified hire is open everywhere, even while the stored policy cannot be read, and past an old deadline")
    void verifiedIsOpen() {
        assertThat(Access.decide(Stage.VERIFIED, NOW - 1, NOW, NOT_ASKED, NOT_ASKED))
                .isEqualTo(Access.OPEN);
    }

    @Test
    @DisplayName("an account in recovery reaches no client, not even probation's, and its old deadline closes nothing")
    void recoveryReachesNoClient() {
        assertThat(Access.decide(Stage.RECOVERY, NOW - 1, NOW, YES, NOT_ASKED)).isEqualTo(Access.NOT_YET);
        assertThat(Access.decide(Stage.RECOVERY, 0, NOW, NO, NOT_ASKED)).isEqualTo(Access.POLICY_INVALID);
    }
}
