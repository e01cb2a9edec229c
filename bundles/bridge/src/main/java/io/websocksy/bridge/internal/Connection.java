package io.websocksy.bridge.internal;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import io.websocksy.api.backend.Route;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.peer.Transport;

/**
 * One bridged connection: a client channel and a peer channel on the same event loop, with the flow
 * control between them (each side is read only while the other is writable), keep-alive, write-stall
 * detection and the close handshake. Every method runs on the connection's event loop except
 * {@link #close(int, String)}, which hops onto it, and the read-only accessors used by the shell.
 */
public final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger("io.websocksy.connection");
    /** RFC 6455 leaves the wait for the client's close answer to us; 5 s like Netty's forceCloseTimeout. */
    static final int FORCE_CLOSE_SECONDS = 5;
    /** Grace period for a stream peer to see EOF and finish before its socket is closed. */
    static final int PEER_LINGER_SECONDS = 2;
    static final int UDP_MAX_DATAGRAM = 65_507;

    private final long id;
    private final String listener;
    private final ListenerSettings settings;
    private final Channel client;
    private final EventLoop loop;
    private final Request request;
    private final Route route;
    private final String framerName;
    private final ServiceReference<?> framerRef;
    private final ServiceReference<?> backendRef;
    private final FramingState framingState;
    private final long openedAt = System.currentTimeMillis();
    private Channel peer;
    private String localDatagramPath;

    // counters: written on the event loop, read by the shell
    private volatile long bytesToPeer;
    private volatile long bytesToClient;
    private volatile long messagesToPeer;
    private volatile long messagesToClient;
    private volatile long lastClientRead = System.nanoTime();
    /** nanoTime of the last frame from the client or message to the client (idle time in the shell). */
    private volatile long lastActivity = System.nanoTime();

    private boolean upgraded;
    /** Frames and EOF from the peer that arrive before the 101 is written; replayed by {@link #started()}. */
    private java.util.ArrayDeque<WebSocketFrame> early;
    private boolean peerEndedEarly;
    private boolean closeSent;
    private boolean closeReceived;
    private int closeCode = 1006;
    private String closeReason = "";
    private boolean peerFailed;
    private boolean clientPaused;
    private boolean peerPaused;
    private boolean awaitingPong;
    private ByteBuf pendingPong;
    private CompositeByteBuf datagram;
    private ScheduledFuture<?> forceClose;
    private ScheduledFuture<?> clientStall;
    private ScheduledFuture<?> peerStall;
    // metrics: the listener's counters (set before started()) and who began the close
    private ListenerCounters counters;
    private String closedBy;

    Connection(long id, ListenerSettings settings, Channel client, Request request, Route route,
            ServiceTable.Entry<?> framer, ServiceReference<?> backendRef, FramingState framingState) {
        this.id = id;
        this.listener = settings.name;
        this.settings = settings;
        this.client = client;
        this.loop = client.eventLoop();
        this.request = request;
        this.route = route;
        this.framerName = framer.name;
        this.framerRef = framer.ref;
        this.backendRef = backendRef;
        this.framingState = framingState;
    }

    // ---------------------------------------------------------------- accessors (shell, registry)

    /** @return the connection id, unique in this runtime */
    public long id() {
        return id;
    }

    /** @return the listener's name */
    public String listener() {
        return listener;
    }

    /** @return the client's address */
    public InetSocketAddress clientAddress() {
        return request.remoteAddress();
    }

    /** @return the request path */
    public String path() {
        return request.path();
    }

    /** @return the route */
    public Route route() {
        return route;
    }

    /** @return the framer's name */
    public String framer() {
        return framerName;
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

    Channel clientChannel() {
        return client;
    }

    ServiceReference<?> framerRef() {
        return framerRef;
    }

    ServiceReference<?> backendRef() {
        return backendRef;
    }

    FramingState framingState() {
        return framingState;
    }

    ListenerSettings settings() {
        return settings;
    }

    boolean isDatagram() {
        return !route.peer().transport().isStream();
    }

    void peerChannel(Channel ch, String localPath) {
        this.peer = ch;
        this.localDatagramPath = localPath;
    }

    // ---------------------------------------------------------------- lifecycle

    void counters(ListenerCounters c) {
        counters = c;
    }

    /** Called once the 101 is written and the WebSocket handlers are in place. */
    void started() {
        upgraded = true;
        if (counters != null) {
            counters.opened(this);
        }
        LOG.info("#{} open {} {} {} -> {} framer={}{} subprotocol={}", id, listener, clientAddress(), request.path(),
                route.peer(), framerName, route.framerConfig().isEmpty() ? "" : "('" + route.framerConfig() + "')",
                route.subprotocol().orElse("-"));
        client.closeFuture().addListener(f -> clientClosed());
        peer.closeFuture().addListener(f -> peerChannelClosed());
        if (early != null) {
            for (WebSocketFrame f; (f = early.poll()) != null;) {
                toClient(f);
            }
            early = null;
        }
        if (peerEndedEarly) {
            peerInactive();
        } else {
            peer.read();
        }
    }

    /** The handshake failed after the peer was connected: drop what the peer sent early. */
    void abandon() {
        releaseEarly();
        if (peer != null) {
            peer.close();
        }
    }

    private void releaseEarly() {
        if (early != null) {
            early.forEach(WebSocketFrame::release);
            early = null;
        }
    }

    private void clientClosed() {
        releaseEarly();
        cancel(forceClose);
        cancel(clientStall);
        if (pendingPong != null) {
            pendingPong.release();
            pendingPong = null;
        }
        if (datagram != null) {
            datagram.release();
            datagram = null;
        }
        closePeerAfterFlush();
        // the close line waits for the end of the current event-loop task: on a protocol violation Netty's
        // decoder or UTF-8 validator closes the channel before its exception reaches ClientHandler, which
        // records the close code (1002/1007/1009) the line must show
        try {
            loop.execute(this::logClosed);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            logClosed();
        }
    }

    private void logClosed() {
        if (counters != null) {
            counters.closed(this, closeSent || closeReceived ? closeCode : 1006,
                    closedBy == null ? ListenerCounters.CLIENT : closedBy);
        }
        if (settings.accessLog != null) {
            // the access line (io.websocksy.access) replaces the close line (SPEC 9)
            AccessLog.closed(settings.accessLog, this, closeSent || closeReceived ? closeCode : 1006, closeReason);
            LOG.debug("#{} closed", id);
            return;
        }
        LOG.info("#{} closed {} {} code={} reason={} up={}B/{}msg down={}B/{}msg {}ms", id, clientAddress(),
                request.path(), closeSent || closeReceived ? closeCode : 1006, closeReason.isEmpty() ? "-" : closeReason,
                bytesToPeer, messagesToPeer, bytesToClient, messagesToClient, System.currentTimeMillis() - openedAt);
    }

    private void peerChannelClosed() {
        cancel(peerStall);
        if (localDatagramPath != null) {
            new File(localDatagramPath).delete();
        }
    }

    /** Closes the connection from the server side: close frame with {@code code} to the client, peer closed. */
    public void close(int code, String reason) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(code, reason));
            return;
        }
        sendClose(code, reason);
        closePeerAfterFlush();
    }

    private void sendClose(int code, String reason) {
        if (closeSent) {
            return;
        }
        closeSent = true;
        closeCode = code;
        closeReason = reason;
        if (closedBy == null) {
            closedBy = ListenerCounters.BRIDGE;
        }
        if (!client.isActive()) {
            return;
        }
        client.writeAndFlush(new CloseWebSocketFrame(code, wireReason(reason)))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (closeReceived) {
            client.close();
        } else {
            forceClose = loop.schedule(() -> {
                client.close();
            }, FORCE_CLOSE_SECONDS, TimeUnit.SECONDS);
            // client reads may be paused for an unwritable (or just closed) peer: read on to see the answer
            clientPaused = false;
            client.read();
        }
    }

    /**
     * A close reason as it may go on the wire: a control frame carries at most 125 payload bytes, two of
     * them the code, so the UTF-8 reason is cut to 123 bytes at a character boundary (the log keeps the
     * whole reason).
     */
    static String wireReason(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] utf8 = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (utf8.length <= MAX_CLOSE_REASON_BYTES) {
            return reason;
        }
        int end = MAX_CLOSE_REASON_BYTES;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // never cut inside a multi-byte sequence
        }
        return new String(utf8, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The most reason bytes a close frame can carry (125 minus the 2-byte code). */
    static final int MAX_CLOSE_REASON_BYTES = 123;

    /** The decoder or UTF-8 validator already sent a close frame for a protocol violation. */
    void protocolViolation(int code, String reason) {
        if (closedBy == null) {
            closedBy = ListenerCounters.BRIDGE;
        }
        if (!closeSent) {
            closeSent = true;
            closeCode = code;
            closeReason = reason;
        }
        closePeerAfterFlush();
    }

    private void closePeerAfterFlush() {
        if (peer != null && peer.isOpen()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---------------------------------------------------------------- client -> peer

    void clientRead() {
        long now = System.nanoTime();
        lastClientRead = now;
        lastActivity = now;
        awaitingPong = false;
    }

    boolean closing() {
        return closeSent || closeReceived;
    }

    /** A data frame's payload (ownership passes here). */
    void fromClient(ByteBuf data, boolean fin) {
        if (closing() || peer == null || !peer.isActive()) {
            data.release();
            return;
        }
        int n = data.readableBytes();
        if (!isDatagram()) {
            bytesToPeer += n;
            if (fin) {
                messagesToPeer++;
            }
            peer.write(data, peer.voidPromise());
            return;
        }
        int limit = route.peer().transport() == Transport.UDP
                ? Math.min(settings.maxMessageSize, UDP_MAX_DATAGRAM) : settings.maxMessageSize;
        if (datagram == null) {
            datagram = client.alloc().compositeBuffer(64);
        }
        if (datagram.readableBytes() + (long) n > limit) {
            data.release();
            datagram.release();
            datagram = null;
            close(1009, "message larger than " + limit + " bytes for a datagram peer");
            return;
        }
        datagram.addComponent(true, data);
        if (fin) {
            CompositeByteBuf parts = datagram;
            datagram = null;
            // one contiguous buffer per datagram: the native datagram write of a many-part composite
            // buffer sent a shortened datagram (RELIABILITY G8), and a datagram is at most 64 KiB
            ByteBuf d;
            if (parts.numComponents() == 1) {
                d = parts;
            } else {
                d = client.alloc().directBuffer(parts.readableBytes());
                d.writeBytes(parts);
                parts.release();
            }
            bytesToPeer += d.readableBytes();
            messagesToPeer++;
            peer.write(d, peer.voidPromise());
        }
    }

    void clientReadComplete() {
        if (peer != null) {
            peer.flush();
        }
        client.flush();
        if (closing()) {
            client.read(); // keep reading to see the close answer or EOF
        } else if (peer == null || peer.isWritable()) {
            clientPaused = false;
            client.read();
        } else {
            clientPaused = true;
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
            peerStall = loop.schedule(() -> {
                countWriteStall();
                close(1001, "peer write timeout");
            }, settings.writeTimeout, TimeUnit.SECONDS);
        }
    }

    void ping(ByteBuf payload) {
        if (closing()) {
            payload.release();
            return;
        }
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

    void clientCloseFrame(CloseWebSocketFrame frame) {
        if (closeReceived) {
            frame.release();
            return;
        }
        closeReceived = true;
        if (closedBy == null) {
            closedBy = ListenerCounters.CLIENT;
        }
        if (closeSent) {
            frame.release();
            client.close();
        } else {
            closeSent = true;
            closeCode = frame.statusCode() < 0 ? 1005 : frame.statusCode();
            closeReason = "client closed";
            // echo the client's code (and reason), then close the TCP connection
            client.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        }
        halfClosePeer();
    }

    private void halfClosePeer() {
        if (peer == null || !peer.isOpen()) {
            return;
        }
        if (peer instanceof DuplexChannel) {
            Channel p = peer;
            p.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                if (f.isSuccess()) {
                    ((DuplexChannel) p).shutdownOutput();
                }
                p.eventLoop().schedule(() -> {
                    p.close();
                }, PEER_LINGER_SECONDS, TimeUnit.SECONDS);
            });
        } else {
            closePeerAfterFlush();
        }
    }

    /** Keep-alive: no read from the client for {@code ping} seconds. */
    void idle() {
        if (closing() || clientPaused) {
            return; // not reading the client on purpose; silence is ours, not the client's
        }
        if (awaitingPong) {
            if (counters != null) {
                counters.pingTimeouts.increment();
            }
            close(1001, "no answer to ping");
            return;
        }
        awaitingPong = true;
        client.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER), client.voidPromise());
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
            clientStall = loop.schedule(() -> {
                countWriteStall();
                sendClose(1001, "write timeout");
                client.close();
                closePeerAfterFlush();
            }, settings.writeTimeout, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- peer -> client

    void toClient(WebSocketFrame frame) {
        if (!upgraded) {
            if (early == null) {
                early = new java.util.ArrayDeque<>(2);
            }
            early.add(frame);
            return;
        }
        if (closeSent || !client.isActive()) {
            frame.release();
            return;
        }
        bytesToClient += frame.content().readableBytes();
        messagesToClient++;
        lastActivity = System.nanoTime();
        client.write(frame, client.voidPromise());
    }

    void peerReadComplete() {
        client.flush();
        if (closeSent) {
            return;
        }
        if (client.isWritable()) {
            peer.read();
        } else {
            peerPaused = true;
        }
    }

    void peerFailed(Throwable cause) {
        if (!peerFailed) {
            peerFailed = true;
            LOG.debug("#{} peer {} failed", id, route.peer(), cause);
        }
        closeReason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        peer.close();
    }

    void framingFailed(int code, String reason) {
        LOG.warn("#{} framer '{}': {}", id, framerName, reason);
        if (counters != null) {
            counters.bridge().framerError(framerName);
        }
        close(code, reason);
    }

    /** The peer's stream ended (after the framer flushed what it held). */
    void peerInactive() {
        if (!upgraded) {
            peerEndedEarly = true;
            return;
        }
        if (closedBy == null) {
            closedBy = ListenerCounters.PEER;
        }
        if (peerFailed) {
            sendClose(1011, "peer connection reset");
        } else {
            sendClose(1000, "peer closed");
        }
    }

    private void countWriteStall() {
        if (counters != null) {
            counters.writeStalls.increment();
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
