package io.websocksy.bridge.internal.handshake;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.websocksy.api.backend.RouteException;

/**
 * A backend's failed route stage, read for the status the backend chose with {@link RouteException}
 * (API 1.1). The exception may arrive wrapped by {@code CompletableFuture} composition.
 */
final class BackendFailure {
    private BackendFailure() {
    }

    /** @return the {@link RouteException} in {@code failure}'s wrapper chain, or null when there is none */
    static RouteException chosen(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 8; depth++) {
            if (t instanceof RouteException) {
                return (RouteException) t;
            }
            if (!(t instanceof CompletionException) && !(t instanceof ExecutionException)) {
                return null;
            }
            t = t.getCause();
        }
        return null;
    }

    /** The log line's cause: the backend's name and its message (which the API says holds no secret). */
    static String describe(String backend, RouteException e) {
        String m = e.getMessage();
        return "backend '" + backend + "': " + (m == null || m.isBlank() ? "refused" : m);
    }
}
