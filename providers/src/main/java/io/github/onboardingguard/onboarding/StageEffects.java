package io.github.onboardingguard.onboarding;

import java.util.ArrayList;
import java.util.List;

/**
 * What a stage change does to the hire's account, in the order it is done. The stage machine
 * decides whether a change is legal; this decides its consequences, so that every door that changes
 * a stage (verifier, risk rule, expiry, admin) has the same ones.
 *
 * <table>
 * <caption>Effects per change (every legal change is one of these rows)</caption>
 * <tr><th>change</th><th>effects, in order</th></tr>
 * <tr><td>INVITED → PROBATION (first login), PROBATION → DOCUMENT_VERIFIED</td><td>refresh session notes</td></tr>
 * <tr><td>to SUSPENDED, EXPIRED or REJECTED</td><td>mark narrowed, disable, end sessions</td></tr>
 * <tr><td>SUSPENDED → a pending stage (reinstated)</td><td>enable, refresh session notes</td></tr>
 * <tr><td>SUSPENDED → VERIFIED (reinstated)</td><td>enable, apply held grants, drop the probationary role, end sessions</td></tr>
 * <tr><td>to VERIFIED (identity approved)</td><td>apply held grants, drop the probationary role, end sessions</td></tr>
 * <tr><td>VERIFIED → PROBATION (re-verify), VERIFIED → RECOVERY</td><td>mark narrowed, grant the probationary role,
 * hold what is outside the allow-list, end sessions</td></tr>
 * </table>
 *
 * <p>Why this order: the narrowing time is written before anything else, so a token issued in
 * between is already older than it; held grants are applied before the probationary role goes, and
 * sessions end last, so the next login sees the finished account.
 */
public final class StageEffects {

    /** One thing done to the hire's account. */
    public enum Effect {
        /** Tokens issued before now count as issued under wider access than the account has: refused. */
        MARK_NARROWED,
        DISABLE,
        ENABLE,
        /** The grants held on the case (deferred at opening or taken off during probation) are made. */
        APPLY_HELD_GRANTS,
        DROP_PROBATIONARY_ROLE,
        GRANT_PROBATIONARY_ROLE,
        /** What the account holds outside the probation allow-list goes back onto the case. */
        HOLD_RESTRICTED,
        END_SESSIONS,
        /** Running sessions keep their stage notes current (no new login needed). */
        REFRESH_SESSION_NOTES
    }

    private StageEffects() {}

    /** The effects of a legal change from {@code from} to {@code to} through {@code event}, in order. */
    public static List<Effect> of(Stage from, StageEvent event, Stage to) {
        List<Effect> effects = new ArrayList<>();
        if (to.blocksLogin()) {
            effects.addAll(List.of(Effect.MARK_NARROWED, Effect.DISABLE, Effect.END_SESSIONS));
            return effects;
        }
        if (event == StageEvent.REVERIFY || event == StageEvent.RECOVERY_STARTED) {
            effects.addAll(List.of(
                    Effect.MARK_NARROWED, Effect.GRANT_PROBATIONARY_ROLE, Effect.HOLD_RESTRICTED, Effect.END_SESSIONS));
            return effects;
        }
        if (from == Stage.SUSPENDED) {
            effects.add(Effect.ENABLE);
        }
        if (to == Stage.VERIFIED) {
            // Also on reinstatement: grants held while the case was suspended are applied now.
            effects.addAll(List.of(Effect.APPLY_HELD_GRANTS, Effect.DROP_PROBATIONARY_ROLE, Effect.END_SESSIONS));
        } else {
            effects.add(Effect.REFRESH_SESSION_NOTES);
        }
        return effects;
    }
}
