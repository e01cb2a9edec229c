package io.websocksy.backend.redis.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * The one WARN when Redis becomes unreachable (then at most one a minute while it stays so, with the
 * count of refused look-ups) and the INFO when it is back.
 */
final class Outage {
    static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final String prefix;
    private final LongSupplier clock;
    private boolean down;
    private long lastWarn;
    private long refused;

    Outage(Logger log, String prefix, LongSupplier clock) {
        this.log = log;
        this.prefix = prefix;
        this.clock = clock;
    }

    synchronized void failed(String why) {
        long now = clock.getAsLong();
        refused++;
        if (!down) {
            down = true;
            lastWarn = now;
            refused = 0;
            log.warn("{}: {}; clients get 503 until it answers again (reconnecting by itself)", prefix, why);
        } else if (now - lastWarn >= REPEAT_NANOS) {
            log.warn("{}: still failing: {} ({} look-ups refused in the last minute)", prefix, why, refused);
            lastWarn = now;
            refused = 0;
        }
    }

    synchronized void up() {
        if (down) {
            down = false;
            log.info("{}: Redis answers again ({} look-ups refused meanwhile)", prefix, refused);
            refused = 0;
        }
    }

    synchronized boolean isDown() {
        return down;
    }
}
