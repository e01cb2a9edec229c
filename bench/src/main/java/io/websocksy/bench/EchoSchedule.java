package io.websocksy.bench;

import org.HdrHistogram.Histogram;

/**
 * Fixed-rate send schedule and echo matching for the latency scenarios, confined to one event loop.
 * Message {@code i} is due at {@code start + i * interval}; echoes come back in order as a byte stream
 * (the bridge's framer may merge or split messages), so message {@code i} has returned once
 * {@code (i + 1) * size} bytes have. Each round trip is recorded from the intended send time, which
 * corrects for coordinated omission: when the sender or the path stalls, the late messages carry the
 * stall in their latency instead of being sent late and measured as fast.
 */
final class EchoSchedule {
    final long intervalNanos;
    private final int size;
    private final long total;
    private final long warmup;
    private final Histogram histogram = new Histogram(3_600_000_000_000L, 3);
    private long start;
    private long sent;
    private long bytes;
    private long done;

    EchoSchedule(long intervalNanos, int size, long total, long warmup) {
        if (intervalNanos <= 0 || size <= 0 || total <= 0 || warmup < 0 || warmup >= total) {
            throw new IllegalArgumentException("bad schedule interval=" + intervalNanos + " size=" + size
                    + " total=" + total + " warmup=" + warmup);
        }
        this.intervalNanos = intervalNanos;
        this.size = size;
        this.total = total;
        this.warmup = warmup;
    }

    void start(long now) {
        start = now;
    }

    /**
     * @param now current nanoTime
     * @return how many messages are due now (the caller sends exactly that many)
     */
    int due(long now) {
        long dueCount = Math.min(total, (now - start) / intervalNanos + 1);
        int n = (int) Math.max(0, dueCount - sent);
        sent += n;
        return n;
    }

    boolean allSent() {
        return sent >= total;
    }

    /**
     * @param n bytes that came back
     * @param now current nanoTime
     * @return true when every message has returned
     */
    boolean received(int n, long now) {
        bytes += n;
        while (done < total && bytes >= (done + 1) * size) {
            if (done >= warmup) {
                histogram.recordValue(Math.max(0, now - (start + done * intervalNanos)));
            }
            done++;
        }
        return done >= total;
    }

    Scenarios.Latency result(int rate) {
        return new Scenarios.Latency(histogram.copy(), sent, total - done, rate);
    }

    Histogram histogram() {
        return histogram;
    }
}
