package io.github.onboardingguard.testsupport;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for what the server does on its own schedule (scheduled tasks, deliveries). */
public final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Poll() {}

    /**
     * Reads {@code value} for the whole of {@code period}, or until {@code happened} holds, and returns
     * the last reading: for what must not happen (a mail that a rolled-back change would have sent), the
     * caller asserts that the reading does not show it. Stops early once it does, so a failure is quick.
     */
    public static <T> T nothingWithin(Duration period, Supplier<T> value, Predicate<T> happened) {
        long deadline = System.nanoTime() + period.toNanos();
        T last = value.get();
        while (!happened.test(last) && System.nanoTime() < deadline) {
            pause();
            last = value.get();
        }
        return last;
    }

    /**
     * Reads {@code value} until {@code done} holds or {@code timeout} has passed, and returns the last
     * reading either way: the caller asserts on it, so a failure shows what the server had.
     */
    public static <T> T until(Duration timeout, Supplier<T> value, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            pause();
            last = value.get();
        }
        return last;
    }

    private static void pause() {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
