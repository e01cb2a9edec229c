package io.websocksy.bridge.internal.handshake;

import java.util.concurrent.Executor;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.websocksy.api.backend.Backend;
import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.deflate.Negotiation;
import io.websocksy.bridge.internal.http.HttpHead;
import io.websocksy.bridge.internal.peer.PeerConnector;
import io.websocksy.bridge.internal.relay.Connection;
import io.websocksy.bridge.internal.relay.ListenerCounters;
import io.websocksy.bridge.internal.runtime.FramerRegistry;
import io.websocksy.bridge.internal.runtime.ServiceTable;

/**
 * What the handshake of one client ({@link UpgradeHandler}) needs from the listener that accepted it,
 * and nothing more. One context per listener configuration: a client keeps the settings it was
 * accepted with when the listener is reconfigured.
 */
public interface ListenerContext {
    /** @return the settings the client was accepted with */
    ListenerSettings settings();

    /**
     * Works out the real client address from the request head (forwarding headers, believed only from
     * trusted proxies) and records it on the channel for the request, the logs and the limits.
     */
    void resolveClient(Channel ch, HttpHead head);

    /**
     * The connection limits, by the real client address, after the request passed its checks.
     *
     * @return null when admitted (and counted until the channel closes), else the cause of the 503
     */
    String admit(Channel ch);

    /** @return the backend named by the settings, or null while none of that name runs */
    ServiceTable.Entry<Backend> backend();

    /** @return where backend look-ups run, off the event loops */
    Executor routeExecutor();

    /** @return the framers installed */
    FramerRegistry framers();

    /** @return a connection id, unique in this runtime */
    long nextConnectionId();

    /**
     * Connects the connection's peer on the client's event loop, auto-read off, with the peer pipeline.
     *
     * @throws PeerConnector.UnsupportedTransportException when this runtime cannot reach the peer's transport
     */
    ChannelFuture connectPeer(Connection conn) throws PeerConnector.UnsupportedTransportException;

    /**
     * The 101 is written: registers the connection and switches the client pipeline to WebSocket.
     *
     * @param deflate permessage-deflate as agreed, or null
     */
    void upgraded(ChannelPipeline p, Connection conn, Negotiation.Agreed deflate);

    /** A handshake failed with {@code status}: counted and logged (rate limited) with its cause. */
    void rejected(Channel ch, String request, int status, String cause);

    /** @return the listener's metrics (kept across reconfigurations under its name) */
    ListenerCounters counters();

    /** @return why health-path answers 503 ({@code draining}, {@code no backend}), or null for 200 */
    String unhealthy();

    /** Listener key {@code web}: puts {@code files} in the place of the {@code upgrade} handler. */
    void serveFiles(ChannelPipeline p, ChannelHandler upgrade, StaticFileHandler files);

    /** Keep-alive after a static file: a fresh request head decoder (bytes the client pipelined go into it). */
    void nextRequest(ChannelPipeline p);

    /** A request after a static file that is not for a file: an upgrade handler in the place of {@code files}. */
    UpgradeHandler upgradeAfterFiles(ChannelPipeline p, StaticFileHandler files);
}
