package io.websocksy.bridge.internal.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.websocksy.api.admin.BridgeMetrics;

/**
 * A duration histogram with the buckets of {@link BridgeMetrics#DURATION_BUCKETS} (100 µs to 10 s):
 * one {@link LongAdder} per bucket, so observations from several event loops never contend on one
 * cache line. Observed once per handshake, never per frame.
 */
public final class DurationHistogram {
    private static final long[] BOUNDS_NANOS = BridgeMetrics.DURATION_BUCKETS.stream()
            .mapToLong(s -> Math.round(s * 1e9)).toArray();

    /** One per bucket, non-cumulative; the last counts observations above the largest bound. */
    private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public DurationHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** @param startNanos a {@link System#nanoTime()} taken when the measured step began */
    public void since(long startNanos) {
        observe(System.nanoTime() - startNanos);
    }

    public void observe(long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && n > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(n);
    }

    public BridgeMetrics.Histogram snapshot() {
        List<Long> cumulative = new ArrayList<>(BOUNDS_NANOS.length);
        long running = 0;
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            running += buckets[i].sum();
            cumulative.add(running);
        }
        long count = running + buckets[BOUNDS_NANOS.length].sum();
        return new BridgeMetrics.Histogram(cumulative, count, sumNanos.sum() / 1e9);
    }
}
