package io.websocksy.api.framer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A named way to cut a peer's byte stream into WebSocket messages. Register an implementation as an
 * OSGi service with the service property {@link #NAME} (for example with {@link FramerName}); routes
 * refer to it by that name. When two services share a name, the one with the highest
 * {@code service.ranking} wins.
 *
 * <p>Implementations must be thread-safe: {@link #open(String)} is called for many connections from
 * many threads. The returned {@link FramingState} is confined to one connection.
 */
@ConsumerType
public interface Framer {
    /** Service property holding the framer's name, e.g. {@code newline}. */
    String NAME = "websocksy.framer.name";

    /**
     * Creates the framing state of one connection.
     *
     * @param config the route's framer config string; empty when the route gives none, never null
     * @return the state, used for this connection only
     * @throws FramerConfigException when {@code config} is malformed (the handshake gets HTTP 500)
     */
    FramingState open(String config) throws FramerConfigException;
}
