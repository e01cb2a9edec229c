package io.websocksy.bridge.internal;

import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.runtime.BackendRegistry;
import io.websocksy.bridge.internal.runtime.ServiceTable;

/**
 * Checks of a listener's configuration that cannot reject it: a {@code backend} name that no running
 * backend has is a WARN naming the file, the key, the value and the backends that run (the backend may
 * be a plug-in that arrives later, so the listener starts anyway and answers 503 meanwhile). The check
 * runs {@value #GRACE_SECONDS} s after the configuration is applied, so that the backends configured in
 * the same deploy directory have come up at start-up.
 *
 * <p>Also decides which error answers to clients are configuration problems worth a WARN (rate-limited
 * by the listener): 500 (a backend failed, a framer rejected its config) and the 503 of a backend or
 * framer that is not running. Connection limits, a saturated route executor and peer failures stay INFO.
 */
final class ListenerChecks {
    /** Seconds between applying a configuration and checking the names it uses. */
    static final int GRACE_SECONDS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    private ListenerChecks() {
    }

    /**
     * Schedules the name checks of a listener configuration that was just applied.
     *
     * @param l      the listener
     * @param s      the settings it now serves with
     * @param source the file and PID, for the message
     */
    static void afterConfiguration(Listener l, ListenerSettings s, String source) {
        try {
            l.runtime().boss().schedule(() -> check(l, s, source), GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            // the event loops are shutting down: nothing to warn about
        }
    }

    private static void check(Listener l, ListenerSettings s, String source) {
        if (l.stopped() || l.settings() != s || l.state().failure() != null) {
            return; // replaced or stopped meanwhile; the newer configuration has its own check
        }
        if (l.backends().lookup(s.backend) == null) {
            LOG.warn("{}: backend = '{}': no backend of that name is running (running: {}); listener {} answers "
                    + "503 until one starts", source, s.backend, running(l.backends()), s.name);
        }
    }

    private static String running(BackendRegistry backends) {
        TreeSet<String> names = new TreeSet<>();
        for (ServiceTable.Entry<?> e : backends.all()) {
            names.add(e.name);
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * @param status the HTTP status answered
     * @param cause  the cause logged with it
     * @return true when the answer comes from a configuration or plug-in problem rather than load or a peer
     */
    static boolean isConfigurationProblem(int status, String cause) {
        if (status == 500) {
            return true;
        }
        return status == 503 && cause != null
                && (cause.startsWith("no backend named") || cause.startsWith("framer '"));
    }
}
