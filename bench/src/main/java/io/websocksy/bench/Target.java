package io.websocksy.bench;

/**
 * Where a scenario connects: a WebSocket listener of the bridge ({@code ws}) or a plain TCP port (the
 * peer directly, or the raw relay).
 *
 * @param name label in the report: {@code direct}, {@code relay} or {@code bridge}
 * @param ws true for a WebSocket (RFC 6455) connection, false for raw TCP
 * @param port loopback port
 */
public record Target(String name, boolean ws, int port) {
    /** @return ws://127.0.0.1:port/bench or tcp://127.0.0.1:port */
    public String uri() {
        return (ws ? "ws://" : "tcp://") + Net.LOOPBACK + ":" + port + (ws ? "/bench" : "");
    }
}
