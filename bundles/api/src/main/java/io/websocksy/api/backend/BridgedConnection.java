package io.websocksy.api.backend;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A live, upgraded connection as a backend sees it through its {@link RouteWatch}: enough to close it
 * later (token revoked, token expired). Implemented by the bridge; thread-safe.
 */
@ProviderType
public interface BridgedConnection {
    /** @return the connection's id, as the shell and the access log show it */
    long id();

    /** @return the name of the listener that accepted it */
    String listener();

    /**
     * Closes the connection from the server side: a close frame to the client with {@code code} and
     * {@code reason}, then the peer is closed. Returns at once; does nothing when it has already ended.
     *
     * @param code {@code 1000}, {@code 1001}, {@code 1008} or {@code 3000-4999}
     * @param reason a short reason for the client (cut to 123 UTF-8 bytes), e.g. {@code token revoked}
     * @throws IllegalArgumentException for a code that may not be sent
     */
    void close(int code, String reason);
}
