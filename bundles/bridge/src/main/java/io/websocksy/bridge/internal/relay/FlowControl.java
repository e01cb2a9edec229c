package io.websocksy.bridge.internal.relay;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The backpressure between the two sides of one {@link Connection}, both with auto-read off: a side is
 * read only while the other is writable, a side that stays unwritable for {@code write-timeout}
 * seconds runs its stall action, and a pong for a client that cannot take it now is held (only the
 * latest, RFC 6455 5.5.3) until it can. Runs on the connection's event loop.
 */
public final class FlowControl {
    private final Channel client;
    private final int writeTimeoutSeconds;
    private final Runnable onPeerStall;
    private final Runnable onClientStall;
    private Channel peer;
    private boolean clientPaused;
    private boolean peerPaused;
    private ScheduledFuture<?> clientStall;
    private ScheduledFuture<?> peerStall;
    private ByteBuf pendingPong;

    /**
     * @param onPeerStall runs when the peer stayed unwritable for the write timeout
     * @param onClientStall runs when the client stayed unwritable for the write timeout
     */
    FlowControl(Channel client, int writeTimeoutSeconds, Runnable onPeerStall, Runnable onClientStall) {
        this.client = client;
        this.writeTimeoutSeconds = writeTimeoutSeconds;
        this.onPeerStall = onPeerStall;
        this.onClientStall = onClientStall;
    }

    void peer(Channel ch) {
        this.peer = ch;
    }

    /** @return true while client reads are paused for an unwritable peer */
    boolean clientPaused() {
        return clientPaused;
    }

    /** After a burst of client reads: read on while the peer can take more, else pause the client. */
    void clientReadComplete(boolean closing) {
        if (closing) {
            client.read(); // keep reading to see the close answer or EOF
        } else if (peer == null || peer.isWritable()) {
            clientPaused = false;
            client.read();
        } else {
            clientPaused = true;
        }
    }

    /** Reads the client again whatever the peer's state (to see the answer to our close frame). */
    void resumeClient() {
        clientPaused = false;
        client.read();
    }

    /** After a burst of peer reads: read on while the client can take more, else pause the peer. */
    void peerReadComplete() {
        if (client.isWritable()) {
            peer.read();
        } else {
            peerPaused = true;
        }
    }

    void peerWritabilityChanged() {
        if (peer.isWritable()) {
            cancel(peerStall);
            peerStall = null;
            if (clientPaused) {
                clientPaused = false;
                client.read();
            }
        } else if (peerStall == null) {
            peerStall = client.eventLoop().schedule(onPeerStall, writeTimeoutSeconds, TimeUnit.SECONDS);
        }
    }

    void clientWritabilityChanged() {
        if (client.isWritable()) {
            cancel(clientStall);
            clientStall = null;
            if (pendingPong != null) {
                client.writeAndFlush(new PongWebSocketFrame(pendingPong), client.voidPromise());
                pendingPong = null;
            }
            if (peerPaused && peer != null) {
                peerPaused = false;
                peer.read();
            }
        } else if (clientStall == null) {
            clientStall = client.eventLoop().schedule(onClientStall, writeTimeoutSeconds, TimeUnit.SECONDS);
        }
    }

    /** Answers a ping now, or holds the pong (replacing an older one) while the client is unwritable. */
    void pong(ByteBuf payload) {
        if (client.isWritable()) {
            client.write(new PongWebSocketFrame(payload), client.voidPromise());
        } else {
            // RFC 6455 5.5.3: answering only the latest ping is allowed; keeps memory bounded under a flood
            if (pendingPong != null) {
                pendingPong.release();
            }
            pendingPong = payload;
        }
    }

    /** The client channel closed: timers off, a held pong released. */
    void clientClosed() {
        cancel(clientStall);
        if (pendingPong != null) {
            pendingPong.release();
            pendingPong = null;
        }
    }

    /** The peer channel closed: its stall timer off. */
    void peerClosed() {
        cancel(peerStall);
    }

    static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
