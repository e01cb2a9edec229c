package io.websocksy.bridge.internal.runtime;

import org.slf4j.Logger;

/** At most {@code perSecond} lines a second; the number suppressed is reported with the next line. */
public final class RateLimitedLog {
    private final Logger log;
    private final int perSecond;
    private long windowStart;
    private int inWindow;
    private long suppressed;

    public RateLimitedLog(Logger log, int perSecond) {
        this.log = log;
        this.perSecond = perSecond;
    }

    public void info(String format, Object... args) {
        log(false, format, args);
    }

    /** As {@link #info}, at WARN (the suppressed count shares the window with the INFO lines). */
    public void warn(String format, Object... args) {
        log(true, format, args);
    }

    private synchronized void log(boolean warn, String format, Object... args) {
        long now = System.nanoTime();
        if (now - windowStart > 1_000_000_000L) {
            windowStart = now;
            inWindow = 0;
        }
        if (++inWindow > perSecond) {
            suppressed++;
            return;
        }
        if (suppressed > 0) {
            log.info("({} similar lines suppressed)", suppressed);
            suppressed = 0;
        }
        if (warn) {
            log.warn(format, args);
        } else {
            log.info(format, args);
        }
    }
}
