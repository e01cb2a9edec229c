package io.websocksy.backend.file.internal;

import java.util.function.LongSupplier;

/**
 * Lets at most {@code burst} log lines through per window; counts the rest and reports the count with the
 * next line let through, so a client that floods bad requests cannot flood the log.
 */
final class RateLimit {
    private final int burst;
    private final long windowNanos;
    private final LongSupplier clock;
    private long windowStart;
    private int used;
    private long suppressed;

    RateLimit(int burst, long windowNanos, LongSupplier clock) {
        this.burst = burst;
        this.windowNanos = windowNanos;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /**
     * @return -1 when this line must be dropped; otherwise how many lines were dropped since the last one let
     *     through (0 usually)
     */
    synchronized long admit() {
        long now = clock.getAsLong();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            used = 0;
        }
        if (used >= burst) {
            suppressed++;
            return -1;
        }
        used++;
        long s = suppressed;
        suppressed = 0;
        return s;
    }
}
