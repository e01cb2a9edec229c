package io.websocksy.api.backend;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides, per incoming WebSocket, which peer to connect to. Register an implementation as an OSGi
 * service with the service property {@link #NAME}; a listener names the backend instance it uses
 * ({@code backend = main}).
 *
 * <p>The bridge calls {@link #route(HandshakeRequest)} on its route executor, never on a network
 * thread, so an implementation may block briefly (file or database look-ups); a slow answer delays
 * only its own client. An implementation whose {@code route} never blocks (it answers from memory or
 * hands the work to its own threads) may register with the service property
 * {@link #INLINE} {@code = true}: the bridge then calls it on the connection's network thread,
 * saving the hop to the route executor and back. Implementations must be thread-safe.
 */
@ConsumerType
public interface Backend {
    /** Service property holding the backend instance's name, e.g. {@code main}. */
    String NAME = "websocksy.backend.name";

    /**
     * Service property {@code websocksy.backend.inline}: {@code true} (a {@link Boolean}) when
     * {@link #route(HandshakeRequest)} never blocks, so the bridge may call it on the connection's network
     * thread instead of its route executor.
     */
    String INLINE = "websocksy.backend.inline";

    /**
     * Looks up the route of one connection.
     *
     * @param request the client's handshake
     * @return a stage completing with the route, or with an empty optional for "no route" (the client
     *     gets 404); completing exceptionally gives the client 500 and logs the cause
     */
    CompletionStage<Optional<Route>> route(HandshakeRequest request);
}
