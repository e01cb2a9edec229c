package io.websocksy.api.admin;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A consistent-enough snapshot of the bridge's counters since the bridge bundle started, for a
 * metrics exporter or the shell ({@link BridgeAdmin#metrics()}). Every counter only grows while the
 * bridge bundle runs (a listener that is removed keeps its last values). Immutable. Labels are bounded:
 * listener, backend and framer names come from the configuration and the installed services, close
 * codes outside 1000-1015 are grouped as {@code 3xxx} / {@code 4xxx} / {@code other}; no path, token or
 * client address appears anywhere.
 *
 * @param listeners per listener, sorted by name
 * @param backends per backend name that routed at least one handshake, sorted by name
 * @param framers per framer name that carried at least one connection, sorted by name
 */
public record BridgeMetrics(List<Listener> listeners, List<Backend> backends, List<Framer> framers) {
    /** Upper bounds (seconds) of the duration histograms' buckets; the last, implicit bucket is +Inf. */
    public static final List<Double> DURATION_BUCKETS = List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
            0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

    /** Copies the lists. */
    public BridgeMetrics {
        listeners = List.copyOf(listeners);
        backends = List.copyOf(backends);
        framers = List.copyOf(framers);
    }

    /**
     * One listener's counters.
     *
     * @param name the listener's name
     * @param open connections upgraded and not yet closed (a gauge)
     * @param accepted TCP connections accepted
     * @param upgraded handshakes answered with 101
     * @param rejectedByStatus handshakes answered with an HTTP error, by status
     * @param closes closed connections by close code and side
     * @param bytesToPeer payload bytes from the client forwarded to the peer
     * @param messagesToPeer messages from the client forwarded to the peer
     * @param bytesToClient payload bytes sent to the client
     * @param messagesToClient messages sent to the client
     * @param handshake from TCP accept to the 101 or the error answer
     * @param routeLookup the backend's route look-up
     * @param peerConnect DNS and peer connect
     * @param pingTimeouts connections closed because a ping went unanswered
     * @param writeStallCloses connections closed because one side stayed unwritable for write-timeout
     * @param tlsHandshakeFailures TLS handshakes that failed
     */
    public record Listener(String name, long open, long accepted, long upgraded, Map<Integer, Long> rejectedByStatus,
            List<Close> closes, long bytesToPeer, long messagesToPeer, long bytesToClient, long messagesToClient,
            Histogram handshake, Histogram routeLookup, Histogram peerConnect, long pingTimeouts,
            long writeStallCloses, long tlsHandshakeFailures) {
        /** Copies the collections. */
        public Listener {
            Objects.requireNonNull(name, "name");
            rejectedByStatus = Map.copyOf(rejectedByStatus);
            closes = List.copyOf(closes);
            Objects.requireNonNull(handshake, "handshake");
            Objects.requireNonNull(routeLookup, "routeLookup");
            Objects.requireNonNull(peerConnect, "peerConnect");
        }

        /** @return handshakes answered with an HTTP error, any status */
        public long rejected() {
            return rejectedByStatus.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Closed connections with one close code, closed first by one side.
     *
     * @param code the close code sent or received ({@code 1006} when no close frame was exchanged), or a
     *     group: {@code 3xxx}, {@code 4xxx}, {@code other}
     * @param side who started the close: {@code client}, {@code peer} or {@code bridge} (a timeout, a limit,
     *     an administrator, a protocol violation or shutdown)
     * @param count how many
     */
    public record Close(String code, String side, long count) {
    }

    /**
     * A duration histogram with {@link BridgeMetrics#DURATION_BUCKETS}.
     *
     * @param cumulativeCounts observations at or below each bucket's upper bound, one per bucket
     *     (without +Inf, which is {@code count})
     * @param count all observations
     * @param sumSeconds the sum of all observations in seconds
     */
    public record Histogram(List<Long> cumulativeCounts, long count, double sumSeconds) {
        /** Copies the list. */
        public Histogram {
            cumulativeCounts = List.copyOf(cumulativeCounts);
            if (cumulativeCounts.size() != DURATION_BUCKETS.size()) {
                throw new IllegalArgumentException("histogram needs " + DURATION_BUCKETS.size() + " buckets, got "
                        + cumulativeCounts.size());
            }
        }
    }

    /**
     * One backend name's route look-ups.
     *
     * @param name the backend name
     * @param lookups routes asked for (any outcome)
     * @param errors look-ups that failed (the backend threw, timed out or answered a 5xx)
     * @param notFound look-ups answered with no route (404)
     */
    public record Backend(String name, long lookups, long errors, long notFound) {
    }

    /**
     * One framer name's traffic.
     *
     * @param name the framer name
     * @param messagesToClient messages the framer cut from peer data and sent to clients
     * @param messagesToPeer client messages written to peers through connections using this framer
     * @param errors connections closed because the framer failed or refused the peer's data
     */
    public record Framer(String name, long messagesToClient, long messagesToPeer, long errors) {
    }
}
