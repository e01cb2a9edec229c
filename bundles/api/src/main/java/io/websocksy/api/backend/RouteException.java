package io.websocksy.api.backend;

/**
 * A backend's way to choose the HTTP status a client gets when it cannot route: complete the stage
 * returned by {@link Backend#route(HandshakeRequest)} exceptionally with one of these. Any other
 * failure gives {@code 500}; an empty result gives {@code 404}.
 *
 * <p>The message is logged on the bridge's one line for the refused handshake (never sent to the
 * client), so it must not contain secrets such as the token itself: name a short hash instead.
 */
public class RouteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Statuses a backend may choose. */
    public static final java.util.Set<Integer> STATUSES = java.util.Set.of(400, 401, 403, 404, 429, 500, 502, 503, 504);

    private final int status;

    /**
     * @param status one of {@link #STATUSES}, e.g. {@code 403} (no or bad credentials), {@code 503}
     *     (the backend's store cannot answer now)
     * @param message the cause, for the log line
     * @throws IllegalArgumentException for any other status
     */
    public RouteException(int status, String message) {
        this(status, message, null);
    }

    /**
     * @param status one of {@link #STATUSES}
     * @param message the cause, for the log line
     * @param cause the underlying failure, or null
     * @throws IllegalArgumentException for any other status
     */
    public RouteException(int status, String message, Throwable cause) {
        super(message, cause);
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status " + status + " is not one of " + new java.util.TreeSet<>(STATUSES));
        }
        this.status = status;
    }

    /** @return the HTTP status the client gets */
    public int status() {
        return status;
    }
}
