package io.github.onboardingguard.testsupport;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for what the server does on its own schedule (scheduled tasks, deliveries). */
public final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Poll() {}

    /**
     * Reads {@code value} until {@code done} holds or {@code timeout} has passed, and returns the last
     * reading either way: the caller asserts on it, so a failure shows what the server had.
     */
    public static <T> T until(Duration timeout, Supplier<T> value, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
            last = value.get();
        }
        return last;
    }
}
