package io.websocksy.bridge.internal.relay;

/**
 * Where a {@link Connection} stands in its life and in the RFC 6455 close handshake. It only moves
 * forward, through the named transitions; a transition that does not apply in the current state leaves
 * it where it is (a second close frame, a close after the handshake finished).
 *
 * <pre>
 * HANDSHAKE --started()--&gt; OPEN --closeSent()--&gt; CLOSE_SENT --closeReceived()--&gt; CLOSED
 *                            |                                                    ^
 *                            +------------------closeReceived()-------------------+
 *                              (the client closed first: its frame is echoed)
 * </pre>
 */
public enum CloseState {
    /** The 101 is not written yet: what the peer sends is held back until {@link #started()}. */
    HANDSHAKE,
    /** Relaying both ways. */
    OPEN,
    /**
     * Our close frame is out (server close, peer gone, protocol violation, write stall): nothing more is
     * relayed; the client is read on to see its answer until the force-close timer.
     */
    CLOSE_SENT,
    /** The client's close frame arrived and ours (or the echo of its own) is out: the TCP connection closes. */
    CLOSED;

    /** @return the state once the 101 is written and the WebSocket handlers are in place */
    CloseState started() {
        return this == HANDSHAKE ? OPEN : this;
    }

    /** @return the state once a close frame went (or is treated as gone) to the client */
    CloseState closeSent() {
        return this == HANDSHAKE || this == OPEN ? CLOSE_SENT : this;
    }

    /** @return the state once the client's close frame arrived (ours is sent in answer when it was not yet) */
    CloseState closeReceived() {
        return CLOSED;
    }

    /** @return true before the 101 is written */
    boolean inHandshake() {
        return this == HANDSHAKE;
    }

    /** @return true once a close frame went to the client: nothing more is relayed either way */
    boolean closing() {
        return this == CLOSE_SENT || this == CLOSED;
    }

    /** @return true once the client's close frame arrived */
    boolean closeHandshakeDone() {
        return this == CLOSED;
    }
}
