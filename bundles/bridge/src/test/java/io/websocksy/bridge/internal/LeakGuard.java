package io.websocksy.bridge.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBufUtil;

/** Collects Netty leak reports (detector at paranoid via the surefire argLine) so a test can fail on them. */
public final class LeakGuard {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ByteBufUtil.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
    }

    private LeakGuard() {
    }

    public static void install() {
        // class initialisation does the work
    }

    /** Forces GC so the detector can see unreleased buffers, then fails on any report. */
    public static void assertNoLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            // the detector reports on the next allocations after GC
            for (int k = 0; k < 200; k++) {
                io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(64).release();
            }
        }
        if (!LEAKS.isEmpty()) {
            throw new AssertionError("Netty buffer leaks: " + LEAKS);
        }
    }
}
