package io.websocksy.api.admin;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.websocksy.api.backend.Route;

/**
 * A snapshot of one live connection. Immutable.
 *
 * <p>Counters count message payload bytes (no WebSocket frame headers, no control frames, no TCP or
 * TLS overhead). "Up" is client to peer: the payload of every data frame the client sent that was
 * written to the peer, and the number of complete client messages. "Down" is peer to client: the
 * payload of every message sent to the client, as the framer cut it, and their number.
 */
public final class ConnectionInfo {
    private final long id;
    private final String listener;
    private final InetSocketAddress client;
    private final String path;
    private final Route route;
    private final long bytesUp;
    private final long messagesUp;
    private final long bytesDown;
    private final long messagesDown;
    private final Instant opened;
    private final Duration age;
    private final Duration idle;

    private ConnectionInfo(Builder b) {
        this.id = b.id;
        this.listener = b.listener;
        this.client = b.client;
        this.path = b.path;
        this.route = b.route;
        this.bytesUp = b.bytesUp;
        this.messagesUp = b.messagesUp;
        this.bytesDown = b.bytesDown;
        this.messagesDown = b.messagesDown;
        this.opened = b.opened;
        this.age = b.age;
        this.idle = b.idle;
    }

    /**
     * @param id the connection id (positive)
     * @return a builder
     * @throws IllegalArgumentException when {@code id < 1}
     */
    public static Builder withId(long id) {
        return new Builder(id);
    }

    /** @return the connection id, unique in this runtime; {@link BridgeAdmin#close(long, int, String)} takes it */
    public long id() {
        return id;
    }

    /** @return the name of the listener that accepted it */
    public String listener() {
        return listener;
    }

    /** @return the client's address */
    public InetSocketAddress client() {
        return client;
    }

    /** @return the request path, without the query string */
    public String path() {
        return path;
    }

    /** @return the route in use: peer, framer, framer config and the chosen subprotocol */
    public Route route() {
        return route;
    }

    /** @return the chosen subprotocol, if any */
    public Optional<String> subprotocol() {
        return route.subprotocol();
    }

    /** @return payload bytes written to the peer */
    public long bytesUp() {
        return bytesUp;
    }

    /** @return complete messages received from the client and written to the peer */
    public long messagesUp() {
        return messagesUp;
    }

    /** @return payload bytes sent to the client */
    public long bytesDown() {
        return bytesDown;
    }

    /** @return messages sent to the client */
    public long messagesDown() {
        return messagesDown;
    }

    /** @return when the 101 was sent */
    public Instant opened() {
        return opened;
    }

    /** @return time since the 101, when the snapshot was taken */
    public Duration age() {
        return age;
    }

    /** @return time since the last frame from the client or message to the client, when the snapshot was taken */
    public Duration idle() {
        return idle;
    }

    @Override
    public String toString() {
        return "ConnectionInfo[#" + id + " " + listener + " " + client + " " + path + " " + route + " up=" + bytesUp
                + "B/" + messagesUp + "msg down=" + bytesDown + "B/" + messagesDown + "msg age=" + age + " idle="
                + idle + "]";
    }

    /** Builds a {@link ConnectionInfo}; every field is required. */
    public static final class Builder {
        private final long id;
        private String listener;
        private InetSocketAddress client;
        private String path;
        private Route route;
        private long bytesUp;
        private long messagesUp;
        private long bytesDown;
        private long messagesDown;
        private Instant opened;
        private Duration age;
        private Duration idle;

        private Builder(long id) {
            if (id < 1) {
                throw new IllegalArgumentException("connection id must be positive, got " + id);
            }
            this.id = id;
        }

        /**
         * @param listenerName listener name
         * @param clientAddress client address
         * @param requestPath request path
         * @param r the route
         * @return this
         */
        public Builder of(String listenerName, InetSocketAddress clientAddress, String requestPath, Route r) {
            this.listener = Checks.nonEmpty(listenerName, "listener");
            this.client = Objects.requireNonNull(clientAddress, "client");
            this.path = Checks.nonEmpty(requestPath, "path");
            this.route = Objects.requireNonNull(r, "route");
            return this;
        }

        /**
         * @param bytesToPeer payload bytes up
         * @param messagesToPeer messages up
         * @param bytesToClient payload bytes down
         * @param messagesToClient messages down
         * @return this
         * @throws IllegalArgumentException when a count is negative
         */
        public Builder traffic(long bytesToPeer, long messagesToPeer, long bytesToClient, long messagesToClient) {
            this.bytesUp = Checks.notNegative(bytesToPeer, "bytes up");
            this.messagesUp = Checks.notNegative(messagesToPeer, "messages up");
            this.bytesDown = Checks.notNegative(bytesToClient, "bytes down");
            this.messagesDown = Checks.notNegative(messagesToClient, "messages down");
            return this;
        }

        /**
         * @param openedAt when the 101 was sent
         * @param ageNow time since then
         * @param idleNow time since the last traffic
         * @return this
         * @throws IllegalArgumentException when a duration is negative or idle exceeds age
         */
        public Builder times(Instant openedAt, Duration ageNow, Duration idleNow) {
            this.opened = Objects.requireNonNull(openedAt, "opened");
            if (ageNow.isNegative() || idleNow.isNegative()) {
                throw new IllegalArgumentException("age and idle must not be negative");
            }
            this.age = ageNow;
            this.idle = idleNow.compareTo(ageNow) > 0 ? ageNow : idleNow; // clocks read a moment apart
            return this;
        }

        /**
         * @return the snapshot
         * @throws IllegalStateException when {@link #of} or {@link #times} was not called
         */
        public ConnectionInfo build() {
            if (listener == null || opened == null) {
                throw new IllegalStateException("connection " + id + ": of(...) and times(...) are required");
            }
            return new ConnectionInfo(this);
        }
    }
}
