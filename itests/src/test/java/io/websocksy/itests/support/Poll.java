package io.websocksy.itests.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

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

    /** How long a counter must stay unchanged to count as settled. */
    public static final Duration STABLE = Duration.ofMillis(300);

    /**
     * Reads a counter that another thread increments some time after the event the test saw (a peer's
     * accept thread counts a connection after the bridge's connect, and so after the client's 101):
     * polls until it is at least {@code atLeast} and has not changed for {@link #STABLE}.
     *
     * @param timeout how long to try
     * @param what description for the failure message
     * @param counter the counter
     * @param atLeast the count the events the test caused imply
     * @return the settled count
     * @throws AssertionError when the deadline passes
     */
    public static int settled(Duration timeout, String what, IntSupplier counter, int atLeast) {
        int[] last = {counter.getAsInt()};
        long[] since = {System.nanoTime()};
        until(timeout, what + " to settle at " + atLeast + " or more", () -> {
            int now = counter.getAsInt();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
                return false;
            }
            return now >= atLeast && System.nanoTime() - since[0] >= STABLE.toNanos();
        });
        return last[0];
    }
}
