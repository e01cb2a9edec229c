package io.websocksy.bridge.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.deflate.DeflateHandler;
import io.websocksy.bridge.internal.deflate.InflateHandler;
import io.websocksy.bridge.internal.deflate.Negotiation;
import io.websocksy.bridge.internal.handshake.ListenerContext;
import io.websocksy.bridge.internal.handshake.StaticFileHandler;
import io.websocksy.bridge.internal.handshake.UpgradeHandler;
import io.websocksy.bridge.internal.http.HttpHeadDecoder;
import io.websocksy.bridge.internal.peer.PeerDatagramDecoder;
import io.websocksy.bridge.internal.peer.PeerFramingDecoder;
import io.websocksy.bridge.internal.peer.PeerHandler;
import io.websocksy.bridge.internal.relay.ClientFrameDecoder;
import io.websocksy.bridge.internal.relay.ClientHandler;
import io.websocksy.bridge.internal.relay.ClientUtf8Check;
import io.websocksy.bridge.internal.relay.Connection;
import io.websocksy.bridge.internal.relay.FlowControl;
import io.websocksy.bridge.internal.security.ProxyProtocolDecoder;
import io.websocksy.bridge.internal.security.TlsContextHolder;

/**
 * Every handler name and every pipeline of the bridge, in one place. Handlers in brackets are there
 * only with the setting named beside them.
 *
 * <pre>
 * Client, from accept to the 101 ({@link #client}):
 *
 *   [proxy]   ProxyProtocolDecoder   proxy-protocol != off; removes itself after the PROXY header
 *   [tls]     SslHandler             tls-certificate + tls-key
 *   [tlslog]  TlsLog                 with tls; logs a failed TLS handshake, removes itself after it
 *   http      HttpHeadDecoder        strict request head (414, 431, 400)
 *   upgrade   UpgradeHandler         handshake timeout, health-path answer (HealthAnswer, then closed),
 *                                    RFC 6455 checks, permessage-deflate offer, limits, route, peer connect
 *   [web]     StaticFileHandler      web != empty: in place of upgrade for a plain GET/HEAD ({@link #serveFiles});
 *                                    on keep-alive a fresh http decoder, and upgrade again for a WebSocket request
 *
 * Client, after the 101 ({@link #upgrade}; http and upgrade are gone):
 *
 *   [tls]     SslHandler
 *   wsencoder WebSocket13FrameEncoder  server frames, unmasked
 *   [deflate] DeflateHandler           permessage-deflate agreed: compresses peer-to-client messages (RSV1)
 *   wsdecoder ClientFrameDecoder       RFC 6455 frames (1002, 1009), unmasked in place; RSV1 with deflate
 *   [inflate] InflateHandler           permessage-deflate agreed: inflates compressed messages (1009, 1007)
 *   utf8      ClientUtf8Check          text messages are UTF-8 (1007)
 *   [keepalive] IdleStateHandler       ping != 0: reader idle for ping seconds
 *   client    ClientHandler            to the Connection: data, ping/pong, close, idle, writability
 *
 * Peer, per transport ({@link #peer}):
 *
 *   tcp, unix:        framing  PeerFramingDecoder   stream bytes to messages with the route's framer
 *   udp, unix-dgram:  datagram PeerDatagramDecoder  one datagram, one message
 *   every transport:  peer     PeerHandler          to the Connection: messages, EOF, errors, writability
 * </pre>
 *
 * Inbound events run top to bottom, outbound writes bottom to top. Both channels of one connection
 * run on the same event loop with auto-read off; {@link FlowControl} reads them.
 */
public final class BridgePipeline {
    static final String PROXY = "proxy";
    static final String TLS = "tls";
    static final String TLS_LOG = "tlslog";
    static final String HTTP = "http";
    static final String UPGRADE = "upgrade";
    static final String WS_ENCODER = "wsencoder";
    static final String WS_DECODER = "wsdecoder";
    static final String UTF8 = "utf8";
    /** permessage-deflate, when negotiated: inflate (after wsdecoder), deflate (after wsencoder). */
    static final String INFLATE = "inflate";
    static final String DEFLATE = "deflate";
    /** Static files ({@code web}): in place of upgrade while a plain GET/HEAD is answered. */
    static final String WEB = "web";
    static final String KEEPALIVE = "keepalive";
    static final String CLIENT = "client";
    static final String FRAMING = "framing";
    static final String DATAGRAM = "datagram";
    static final String PEER = "peer";

    private BridgePipeline() {
    }

    /** The pipeline of a client just accepted, up to the handshake. */
    static void client(Channel ch, ListenerContext context, ListenerSecurity security) {
        ListenerSettings s = context.settings();
        ChannelPipeline p = ch.pipeline();
        if (s.proxyProtocol != ProxyProtocolDecoder.Mode.OFF) {
            SocketAddress peer = ch.remoteAddress();
            boolean trusted = peer instanceof InetSocketAddress
                    && s.trustedProxies.trusts(((InetSocketAddress) peer).getAddress());
            p.addLast(PROXY, new ProxyProtocolDecoder(s.proxyProtocol, trusted, security.proxyFailureLog(s.name)));
        }
        TlsContextHolder tls = security.tls();
        if (tls != null) {
            p.addLast(TLS, tls.newHandler(ch.alloc(), s.handshakeTimeout * 1000L));
            p.addLast(TLS_LOG, security.tlsLog(s.name));
        }
        p.addLast(HTTP, new HttpHeadDecoder(s.maxRequestLine, s.maxHeaderSize, s.maxHeaders));
        p.addLast(UPGRADE, new UpgradeHandler(context));
    }

    /**
     * Switches a client pipeline from HTTP to WebSocket. Must run after the 101 is written; bytes the
     * client pipelined behind its request go straight to the frame decoder.
     */
    static void upgrade(ChannelPipeline p, Connection conn) {
        upgrade(p, conn, null);
    }

    /** @param deflate permessage-deflate as agreed, or null */
    static void upgrade(ChannelPipeline p, Connection conn, Negotiation.Agreed deflate) {
        ListenerSettings s = conn.settings();
        p.addBefore(HTTP, WS_ENCODER, new WebSocket13FrameEncoder(false));
        p.addAfter(HTTP, UTF8, new ClientUtf8Check(conn));
        if (deflate != null) {
            p.addBefore(UTF8, INFLATE, new InflateHandler(s.maxFrameSize, s.maxMessageSize,
                    deflate.clientNoContextTakeover, conn::protocolViolation));
            p.addAfter(WS_ENCODER, DEFLATE, new DeflateHandler(deflate));
        }
        String last = UTF8;
        if (s.ping > 0) {
            p.addAfter(UTF8, KEEPALIVE, new IdleStateHandler(s.ping, 0, 0, TimeUnit.SECONDS));
            last = KEEPALIVE;
        }
        p.addAfter(last, CLIENT, new ClientHandler(conn));
        p.remove(UPGRADE);
        p.replace(HTTP, WS_DECODER, new ClientFrameDecoder(s.maxFrameSize, conn, deflate != null));
    }

    /** Listener key {@code web}: the static file handler takes the place of the upgrade handler. */
    static void serveFiles(ChannelPipeline p, ChannelHandler upgrade, StaticFileHandler files) {
        p.replace(upgrade, WEB, files);
    }

    /** Keep-alive after a static file: a fresh request head decoder in place of the used one. */
    static void nextRequest(ChannelPipeline p, ListenerSettings s) {
        p.replace(HTTP, HTTP, new HttpHeadDecoder(s.maxRequestLine, s.maxHeaderSize, s.maxHeaders));
    }

    /** A WebSocket request after static files on one connection: an upgrade handler in place of {@code files}. */
    static UpgradeHandler upgradeAfterFiles(ChannelPipeline p, StaticFileHandler files, ListenerContext context) {
        UpgradeHandler u = new UpgradeHandler(context);
        p.replace(files, UPGRADE, u);
        return u;
    }

    /** The pipeline of a peer channel, by the route's transport. */
    static void peer(Channel ch, Connection conn) {
        ChannelPipeline p = ch.pipeline();
        if (conn.isDatagram()) {
            p.addLast(DATAGRAM, new PeerDatagramDecoder(conn.framingState(), conn.framer()));
        } else {
            p.addLast(FRAMING, new PeerFramingDecoder(conn.framingState(), conn.framer(),
                    conn.settings().maxMessageSize));
        }
        p.addLast(PEER, new PeerHandler(conn));
    }
}
