package io.websocksy.bench;

/**
 * Where a scenario connects: a WebSocket listener of the bridge ({@code ws://}, or {@code wss://} when
 * {@code tls}) or a plain TCP port (the peer directly, or the raw relay).
 *
 * @param name label in the report: {@code direct}, {@code relay}, {@code bridge} (ws://), {@code wss-jdk} or
 *     {@code wss-openssl} (wss:// to a listener with that {@code tls-provider})
 * @param ws true for a WebSocket (RFC 6455) connection, false for raw TCP
 * @param port loopback port
 * @param tls true for TLS under the WebSocket ({@code wss://}); the client must have a TLS context
 * @param deflate true to offer permessage-deflate (the client compresses and inflates with Netty's handlers)
 */
public record Target(String name, boolean ws, int port, boolean tls, boolean deflate) {
    /** Plain TCP or ws:// target. */
    public Target(String name, boolean ws, int port) {
        this(name, ws, port, false, false);
    }

    /** A target without permessage-deflate. */
    public Target(String name, boolean ws, int port, boolean tls) {
        this(name, ws, port, tls, false);
    }

    /** @return ws://127.0.0.1:port/bench, wss://127.0.0.1:port/bench or tcp://127.0.0.1:port */
    public String uri() {
        return (ws ? tls ? "wss://" : "ws://" : "tcp://") + Net.LOOPBACK + ":" + port + (ws ? "/bench" : "");
    }
}
