package io.websocksy.bridge.internal.runtime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.bridge.internal.relay.Connection;

/**
 * Graceful drain when the framework stops (SIGTERM or SIGINT through the launcher's shutdown hook, or
 * {@code stop 0} in the shell), with the transport keys {@code drain-delay} and {@code drain-timeout}
 * (seconds). {@link ShutdownOrder} runs it on the system bundle's STOPPING event, before any bundle stops
 * and before it stops the listeners, so backends and framers still run while this waits:
 * <ol>
 * <li>every listener's {@code health-path} answers {@code 503} at once, while upgrades are still accepted
 * for {@code drain-delay} seconds (time for the load balancer to notice);</li>
 * <li>then every listener stops accepting; open connections get {@code drain-timeout} seconds to finish;</li>
 * <li>then those still open are closed with 1001 {@code server shutting down} as the listeners stop.</li>
 * </ol>
 * Both 0 (the default) keep the immediate stop: connections closed with 1001 at once.
 */
public final class ShutdownDrain {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDrain.class);

    private final int delaySeconds;
    private final int timeoutSeconds;
    /** What the drain needs of a listener (the top package's {@code Listener}; runtime does not refer to it). */
    public interface Drained {
        /** Health-path answers 503 from now on. */
        void healthDown();

        /** @return the listener's open connections */
        java.util.Collection<?> openConnections();

        /**
         * Stops accepting and lets open connections go on for up to {@code timeoutMillis}.
         *
         * @throws IllegalStateException when the listener drains already
         */
        void drain(long timeoutMillis);
    }

    private final Set<Drained> listeners = new CopyOnWriteArraySet<>();
    private volatile boolean started;

    ShutdownDrain(int delaySeconds, int timeoutSeconds) {
        this.delaySeconds = delaySeconds;
        this.timeoutSeconds = timeoutSeconds;
    }

    public void add(Drained l) {
        listeners.add(l);
    }

    public void remove(Drained l) {
        listeners.remove(l);
    }

    public boolean enabled() {
        return delaySeconds > 0 || timeoutSeconds > 0;
    }

    /** Runs the drain on the calling thread (the one stopping the framework) and returns when it is over. */
    public void run() {
        if (!enabled() || started) {
            return;
        }
        started = true;
        List<Drained> all = List.copyOf(listeners);
        if (all.isEmpty()) {
            return;
        }
        int open = 0;
        for (Drained l : all) {
            l.healthDown();
            open += l.openConnections().size();
        }
        LOG.info("stopping: draining {} listeners with {} open connections: health 503 now, new connections accepted "
                + "for {} s (drain-delay), then {} s (drain-timeout) for open connections before 1001", all.size(), open,
                delaySeconds, timeoutSeconds);
        try {
            TimeUnit.SECONDS.sleep(delaySeconds);
            for (Drained l : all) {
                try {
                    l.drain(TimeUnit.SECONDS.toMillis(timeoutSeconds));
                } catch (IllegalStateException alreadyDraining) {
                    LOG.debug("{}", alreadyDraining.getMessage());
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds + Connection.FORCE_CLOSE_SECONDS + 1L);
            while (System.nanoTime() - deadline < 0 && remaining(all) > 0) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("stopping: drain done, {} connections still open", remaining(all));
    }

    private static int remaining(List<Drained> all) {
        int n = 0;
        for (Drained l : all) {
            n += l.openConnections().size();
        }
        return n;
    }
}
