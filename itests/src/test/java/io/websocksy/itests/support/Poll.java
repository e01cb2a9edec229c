package io.websocksy.itests.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Deadline polling: the only way tests wait for asynchronous state. */
public final class Poll {
    private Poll() {
    }

    /**
     * Polls {@code condition} every 20 ms until it holds.
     *
     * @param timeout how long to try
     * @param what description for the failure message
     * @param condition the condition
     * @throws AssertionError when the deadline passes
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
