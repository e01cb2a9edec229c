package io.websocksy.bridge.internal.relay;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.backend.Route;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.peer.Transport;
import io.websocksy.bridge.internal.config.ListenerSettings;

/**
 * One bridged connection: a client channel and a peer channel on the same event loop. It relays data
 * both ways and runs the close handshake ({@link CloseState}); the backpressure between the sides is
 * {@link FlowControl}'s, the joining of fragments for a datagram peer {@link DatagramAssembler}'s, and
 * the counters the shell shows {@link ConnectionStats}'. Every method runs on the connection's event
 * loop except {@link #close(int, String)}, which hops onto it, and the read-only accessors.
 */
public final class Connection implements ProtocolViolations {
    private static final Logger LOG = LoggerFactory.getLogger("io.websocksy.connection");
    /** RFC 6455 leaves the wait for the client's close answer to us; 5 s like Netty's forceCloseTimeout. */
    public static final int FORCE_CLOSE_SECONDS = 5;
    /** Grace period for a stream peer to see EOF and finish before its socket is closed. */
    static final int PEER_LINGER_SECONDS = 2;
    /** The most reason bytes a close frame can carry (125 minus the 2-byte code), as the API says. */
    static final int MAX_CLOSE_REASON_BYTES = BridgeAdmin.MAX_REASON_BYTES;

    private final long id;
    private final String listener;
    private final ListenerSettings settings;
    private final Channel client;
    private final EventLoop loop;
    private final InetSocketAddress clientAddress;
    private final String path;
    private final Route route;
    private final String framerName;
    private final ServiceReference<?> framerRef;
    private final ServiceReference<?> backendRef;
    private final FramingState framingState;
    private final ConnectionStats stats = new ConnectionStats();
    private final FlowControl flow;
    /** Null for a stream peer. */
    private final DatagramAssembler datagram;
    private Channel peer;
    private String localDatagramPath;

    private CloseState state = CloseState.HANDSHAKE;
    private int closeCode = 1006;
    private String closeReason = "";
    /** Frames from the peer that arrive before the 101 is written; replayed by {@link #started()}. */
    private ArrayDeque<WebSocketFrame> early;
    /** The peer's stream ended before the 101 was written; acted on by {@link #started()}. */
    private boolean peerEndedEarly;
    private boolean peerFailed;
    /** A keep-alive ping is out and no read from the client has happened since. */
    private boolean awaitingPong;
    private ScheduledFuture<?> forceClose;
    // metrics: the listener's counters (set before started()) and who began the close
    private ListenerCounters counters;
    private String closedBy;

    public Connection(long id, ListenerSettings settings, Channel client, InetSocketAddress clientAddress, String path,
            Route route, String framerName, ServiceReference<?> framerRef, ServiceReference<?> backendRef,
            FramingState framingState) {
        this.id = id;
        this.listener = settings.name;
        this.settings = settings;
        this.client = client;
        this.loop = client.eventLoop();
        this.clientAddress = clientAddress;
        this.path = path;
        this.route = route;
        this.framerName = framerName;
        this.framerRef = framerRef;
        this.backendRef = backendRef;
        this.framingState = framingState;
        this.flow = new FlowControl(client, settings.writeTimeout, () -> {
            countWriteStall();
            close(1001, "peer write timeout");
        }, () -> {
            countWriteStall();
            sendClose(1001, "write timeout");
            client.close();
            closePeerAfterFlush();
        });
        Transport t = route.peer().transport();
        this.datagram = t.isStream() ? null : new DatagramAssembler(client.alloc(), t == Transport.UDP
                ? Math.min(settings.maxMessageSize, DatagramAssembler.UDP_MAX_DATAGRAM) : settings.maxMessageSize);
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
        return clientAddress;
    }

    /** @return the request path */
    public String path() {
        return path;
    }

    /** @return the route */
    public Route route() {
        return route;
    }

    /** @return the framer's name */
    public String framer() {
        return framerName;
    }

    /** @return the traffic counters and times */
    public ConnectionStats stats() {
        return stats;
    }

    public Channel clientChannel() {
        return client;
    }

    public ServiceReference<?> framerRef() {
        return framerRef;
    }

    public ServiceReference<?> backendRef() {
        return backendRef;
    }

    public FramingState framingState() {
        return framingState;
    }

    public ListenerSettings settings() {
        return settings;
    }

    public boolean isDatagram() {
        return datagram != null;
    }

    public void peerChannel(Channel ch, String localPath) {
        this.peer = ch;
        this.localDatagramPath = localPath;
        flow.peer(ch);
    }

    // ---------------------------------------------------------------- lifecycle

    /** The listener's metrics; set before {@link #started()}. */
    public void counters(ListenerCounters c) {
        counters = c;
    }

    /** Called once the 101 is written and the WebSocket handlers are in place. */
    public void started() {
        state = state.started();
        if (counters != null) {
            counters.opened(this);
        }
        if (LOG.isInfoEnabled()) {
            // built here rather than by the logger's {} formatting: one builder, no argument array or
            // formatter state per line (two lines per connection; JFR of the churn benchmark, issue 18)
            StringBuilder sb = new StringBuilder(160).append('#').append(id).append(" open ").append(listener)
                    .append(' ').append(clientAddress()).append(' ').append(path).append(" -> ").append(route.peer())
                    .append(" framer=").append(framerName);
            if (!route.framerConfig().isEmpty()) {
                sb.append("('").append(route.framerConfig()).append("')");
            }
            LOG.info(sb.append(" subprotocol=").append(route.subprotocol().orElse("-")).toString());
        }
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
    public void abandon() {
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
        FlowControl.cancel(forceClose);
        flow.clientClosed();
        if (datagram != null) {
            datagram.release();
        }
        closePeerAfterFlush();
        logClosed();
    }

    private void logClosed() {
        int code = state.closing() ? closeCode : 1006;
        if (counters != null) {
            counters.closed(this, code, closedBy == null ? ListenerCounters.CLIENT : closedBy);
        }
        if (settings.accessLog != null) {
            // the access line (io.websocksy.access) replaces the close line (docs/behaviour.md#security)
            AccessLog.closed(settings.accessLog, this, code, closeReason);
            LOG.debug("#{} closed", id);
            return;
        }
        if (LOG.isInfoEnabled()) {
            LOG.info(new StringBuilder(160).append('#').append(id).append(" closed ").append(clientAddress())
                    .append(' ').append(path).append(" code=").append(code)
                    .append(" reason=").append(closeReason.isEmpty() ? "-" : closeReason)
                    .append(" up=").append(stats.bytesToPeer()).append("B/").append(stats.messagesToPeer())
                    .append("msg down=").append(stats.bytesToClient()).append("B/").append(stats.messagesToClient())
                    .append("msg ").append(System.currentTimeMillis() - stats.openedAt()).append("ms").toString());
        }
    }

    private void peerChannelClosed() {
        flow.peerClosed();
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
        if (state.closing()) {
            return;
        }
        state = state.closeSent();
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
        forceClose = loop.schedule(() -> {
            client.close();
        }, FORCE_CLOSE_SECONDS, TimeUnit.SECONDS);
        // client reads may be paused for an unwritable (or just closed) peer: read on to see the answer
        flow.resumeClient();
    }

    /**
     * A close reason as it may go on the wire: a control frame carries at most 125 payload bytes, two of
     * them the code, so the UTF-8 reason is cut to {@value #MAX_CLOSE_REASON_BYTES} bytes at a character
     * boundary (the log keeps the whole reason).
     */
    static String wireReason(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_CLOSE_REASON_BYTES) {
            return reason;
        }
        int end = MAX_CLOSE_REASON_BYTES;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // never cut inside a multi-byte sequence
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * The frame decoder or the UTF-8 check found a protocol violation and is about to send the close
     * frame with {@code code} and close: the close line shows that code, the peer is closed.
     */
    @Override
    public void protocolViolation(int code, String reason) {
        if (closedBy == null) {
            closedBy = ListenerCounters.BRIDGE;
        }
        if (!state.closing()) {
            state = state.closeSent();
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
        stats.clientRead();
        awaitingPong = false;
    }

    boolean closing() {
        return state.closing();
    }

    /** A data frame's payload (ownership passes here). */
    void fromClient(ByteBuf data, boolean fin) {
        if (state.closing() || peer == null || !peer.isActive()) {
            data.release();
            return;
        }
        if (datagram == null) {
            stats.toPeer(data.readableBytes(), fin);
            peer.write(data, peer.voidPromise());
            return;
        }
        if (!datagram.fits(data.readableBytes())) {
            data.release();
            datagram.release();
            close(1009, "message larger than " + datagram.limit() + " bytes for a datagram peer");
            return;
        }
        ByteBuf d = datagram.add(data, fin);
        if (d != null) {
            stats.toPeer(d.readableBytes(), true);
            peer.write(d, peer.voidPromise());
        }
    }

    void clientReadComplete() {
        if (peer != null) {
            peer.flush();
        }
        client.flush();
        flow.clientReadComplete(state.closing());
    }

    public void peerWritabilityChanged() {
        flow.peerWritabilityChanged();
    }

    void ping(ByteBuf payload) {
        if (state.closing()) {
            payload.release();
            return;
        }
        flow.pong(payload);
    }

    void clientCloseFrame(CloseWebSocketFrame frame) {
        if (state.closeHandshakeDone()) {
            frame.release();
            return;
        }
        if (closedBy == null) {
            closedBy = ListenerCounters.CLIENT;
        }
        if (state.closing()) {
            state = state.closeReceived();
            frame.release();
            client.close();
        } else {
            state = state.closeReceived();
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
        if (state.closing() || flow.clientPaused()) {
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
        flow.clientWritabilityChanged();
    }

    // ---------------------------------------------------------------- peer -> client

    public void toClient(WebSocketFrame frame) {
        if (state.inHandshake()) {
            if (early == null) {
                early = new ArrayDeque<>(2);
            }
            early.add(frame);
            return;
        }
        if (state.closing() || !client.isActive()) {
            frame.release();
            return;
        }
        stats.toClient(frame.content().readableBytes());
        client.write(frame, client.voidPromise());
    }

    public void peerReadComplete() {
        client.flush();
        if (state.closing()) {
            return;
        }
        flow.peerReadComplete();
    }

    public void peerFailed(Throwable cause) {
        if (!peerFailed) {
            peerFailed = true;
            LOG.debug("#{} peer {} failed", id, route.peer(), cause);
        }
        closeReason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        peer.close();
    }

    public void framingFailed(int code, String reason) {
        LOG.warn("#{} framer '{}': {}", id, framerName, reason);
        if (counters != null) {
            counters.bridge().framerError(framerName);
        }
        close(code, reason);
    }

    /** The peer's stream ended (after the framer flushed what it held). */
    public void peerInactive() {
        if (state.inHandshake()) {
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
}
