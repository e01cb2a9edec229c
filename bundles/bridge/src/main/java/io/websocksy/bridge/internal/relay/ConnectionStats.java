package io.websocksy.bridge.internal.relay;

/**
 * What the shell and the access log show of one {@link Connection}: traffic counters and times.
 * Written on the connection's event loop only, read from any thread.
 */
public final class ConnectionStats {
    private final long openedAt = System.currentTimeMillis();
    private volatile long bytesToPeer;
    private volatile long bytesToClient;
    private volatile long messagesToPeer;
    private volatile long messagesToClient;
    private volatile long lastClientRead = System.nanoTime();
    /** nanoTime of the last frame from the client or message to the client (idle time in the shell). */
    private volatile long lastActivity = System.nanoTime();

    void clientRead() {
        long now = System.nanoTime();
        lastClientRead = now;
        lastActivity = now;
    }

    /** Counts payload bytes written to the peer, and one message when it ends. */
    void toPeer(int bytes, boolean messageEnds) {
        bytesToPeer += bytes;
        if (messageEnds) {
            messagesToPeer++;
        }
    }

    /** Counts one message written to the client. */
    void toClient(int bytes) {
        bytesToClient += bytes;
        messagesToClient++;
        lastActivity = System.nanoTime();
    }

    /** @return payload bytes of client data frames written to the peer */
    public long bytesToPeer() {
        return bytesToPeer;
    }

    /** @return bytes sent to the client (message payloads) */
    public long bytesToClient() {
        return bytesToClient;
    }

    /** @return complete messages forwarded to the peer */
    public long messagesToPeer() {
        return messagesToPeer;
    }

    /** @return messages sent to the client */
    public long messagesToClient() {
        return messagesToClient;
    }

    /** @return when the connection was opened (epoch millis) */
    public long openedAt() {
        return openedAt;
    }

    /** @return nanoTime of the last read from the client */
    public long lastClientRead() {
        return lastClientRead;
    }

    /** @return nanoTime of the last frame from the client or message to the client */
    public long lastActivity() {
        return lastActivity;
    }
}
