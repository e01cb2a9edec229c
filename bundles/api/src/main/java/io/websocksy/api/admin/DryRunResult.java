package io.websocksy.api.admin;

import java.util.Objects;
import java.util.Optional;

import io.websocksy.api.backend.Route;

/**
 * The outcome of a route dry run: the status a real client would get ({@value #UPGRADE} when it would
 * be upgraded and bridged, else the HTTP error status) with the cause the bridge would log, the
 * backend asked, and the route it answered, when it answered one. Immutable.
 */
public final class DryRunResult {
    /** Status of a request that would be upgraded. */
    public static final int UPGRADE = 101;

    private final int status;
    private final String cause;
    private final String listener;
    private final String backend;
    private final Route route;

    private DryRunResult(int status, String cause, String listener, String backend, Route route) {
        this.status = status;
        this.cause = cause;
        this.listener = listener;
        this.backend = backend;
        this.route = route;
    }

    /**
     * @param listener listener name, or null when a backend was named directly
     * @param backend backend name
     * @param route the route as a real connection would use it (subprotocol spelled as offered)
     * @return a result with status {@value #UPGRADE}
     */
    public static DryRunResult upgrade(String listener, String backend, Route route) {
        return new DryRunResult(UPGRADE, "", listener, Checks.nonEmpty(backend, "backend"),
                Objects.requireNonNull(route, "route"));
    }

    /**
     * @param status the HTTP status a client would get (400-599)
     * @param cause why, as the bridge logs it
     * @param listener listener name, or null
     * @param backend backend name, or null when none was asked
     * @param route the backend's answer when it gave one that failed later checks, else null
     * @return the result
     * @throws IllegalArgumentException for a status outside 400-599 or an empty cause
     */
    public static DryRunResult failed(int status, String cause, String listener, String backend, Route route) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 400-599, got " + status);
        }
        return new DryRunResult(status, Checks.nonEmpty(cause, "cause"), listener, backend, route);
    }

    /** @return {@value #UPGRADE} or the HTTP error status */
    public int status() {
        return status;
    }

    /** @return true when a real client would be upgraded and bridged (if the peer accepts the connection) */
    public boolean upgraded() {
        return status == UPGRADE;
    }

    /** @return why the request fails; empty when it would be upgraded */
    public String cause() {
        return cause;
    }

    /** @return the listener the request went through, if one */
    public Optional<String> listener() {
        return Optional.ofNullable(listener);
    }

    /** @return the backend asked, if one was found */
    public Optional<String> backend() {
        return Optional.ofNullable(backend);
    }

    /** @return the backend's route, when it answered one */
    public Optional<Route> route() {
        return Optional.ofNullable(route);
    }

    @Override
    public String toString() {
        return "DryRunResult[" + status + (cause.isEmpty() ? "" : " " + cause) + ", backend=" + backend + ", route="
                + route + "]";
    }
}
