package io.websocksy.itests.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Fails a test on any Netty leak report. The detector level comes from the failsafe argLine
 * ({@code paranoid}); the bridge runs in this JVM (native container), so its buffers are covered.
 */
public final class Leaks {
    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    static {
        ByteBufUtil.setLeakListener((type, records) -> REPORTS.add(type + ": " + records));
    }

    private Leaks() {
    }

    /** Installs the listener (idempotent). */
    public static void watch() {
        // class initialisation does it
    }

    /** Collects garbage so unreleased buffers get reported, then fails if any was. */
    public static void assertNone() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            for (int k = 0; k < 500; k++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
            }
        }
        if (!REPORTS.isEmpty()) {
            String all = String.join("\n", REPORTS);
            REPORTS.clear();
            throw new AssertionError("Netty reported leaked buffers:\n" + all);
        }
    }
}
