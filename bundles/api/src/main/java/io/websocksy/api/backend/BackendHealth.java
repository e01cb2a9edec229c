package io.websocksy.api.backend;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A backend's own health, for health checks (the optional admin set runs every one of these services in its
 * {@code websocksy backends healthy} check): a backend that depends on something outside the process (a
 * database, a key server) registers one as an OSGi service, so that the backend needs no health-check
 * library of its own. The messages name the backend instance they are about.
 */
@ConsumerType
public interface BackendHealth {
    /**
     * Service property of the health a backend publishes while it has refused its configuration (it then runs
     * without a {@link Backend} service): the configuration's PID, e.g. {@code websocksy.backend.default~main}.
     */
    String PID = "websocksy.backend.pid";

    /** Service property of that health: the one-line error (file, key and cause) it fails with. */
    String FAILURE = "websocksy.backend.failure";

    /**
     * Checks the backend without blocking the caller (the answer may come from another thread, and must come
     * within the backend's own timeout).
     *
     * @return a stage completing with a one-line description when healthy (e.g. {@code Redis at h:p answers
     *     PING in 0.4 ms}), or failing with an exception whose message says what is wrong
     */
    CompletionStage<String> check();
}
