package io.websocksy.api.backend;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Lets a backend follow the connections it routed, so it can close them later (a revoked or expired
 * token). Attach one to a route with {@link Route.Builder#watch(RouteWatch)}. The bridge calls
 * {@link #opened} once the client got its {@code 101} and {@link #ended} exactly once after that when the
 * connection is gone, whatever closed it; a route whose handshake fails after the look-up gets neither.
 * Both are called on a network thread: they must return quickly and never block.
 */
@ConsumerType
public interface RouteWatch {
    /** @param connection the connection, now bridged */
    void opened(BridgedConnection connection);

    /** @param connection the connection, now closed; drop every reference to it */
    void ended(BridgedConnection connection);
}
