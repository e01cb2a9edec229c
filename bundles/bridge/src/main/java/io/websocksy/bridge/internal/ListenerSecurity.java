package io.websocksy.bridge.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * The security and operations side of one listener (SPEC 9), owned by {@link Listener} across
 * reconfigurations: the TLS context (reloaded when its files change), the PROXY protocol decoder and
 * TLS handler at the front of each client pipeline, the real client address, and the connection
 * limits. Client pipeline before the upgrade: {@code proxy} (with {@code proxy-protocol}),
 * {@code tls} and {@code tlslog} (with {@code tls-certificate}), then {@code http}, {@code upgrade}.
 */
final class ListenerSecurity implements AutoCloseable {
    static final String PROXY = "proxy";
    static final String TLS = "tls";
    static final String TLS_LOG = "tlslog";

    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger("io.websocksy.handshake"), 20);
    private final ConnectionLimits limits = new ConnectionLimits();
    private volatile TlsContextHolder tls;

    /**
     * Applies {@code s}: loads its TLS files (replacing the previous context, whose open connections
     * continue). Runs on the configuration thread.
     *
     * @throws IllegalArgumentException when the TLS files cannot be used; the previous state is kept
     */
    /** Metrics of the owning listener (TLS handshake failures); null until the listener activates. */
    private volatile ListenerCounters counters;

    void counters(ListenerCounters c) {
        counters = c;
    }

    synchronized void configure(ListenerSettings s) {
        TlsContextHolder next = s.tls == null ? null : new TlsContextHolder(s.name, s.tls);
        TlsContextHolder old = tls;
        tls = next;
        if (old != null) {
            old.close();
        }
        if (next != null) {
            LoggerFactory.getLogger(Listener.class).info("listener {}: TLS with {}", s.name, next.description());
        }
    }

    /** @return the TLS context holder, or null without TLS */
    TlsContextHolder tls() {
        return tls;
    }

    ConnectionLimits limits() {
        return limits;
    }

    /** Puts the PROXY decoder and the TLS handler in front of a new client's pipeline. */
    void initChannel(Channel ch, ListenerSettings s) {
        ChannelPipeline p = ch.pipeline();
        if (s.proxyProtocol != ProxyProtocolDecoder.Mode.OFF) {
            SocketAddress peer = ch.remoteAddress();
            boolean trusted = peer instanceof InetSocketAddress
                    && s.trustedProxies.trusts(((InetSocketAddress) peer).getAddress());
            p.addLast(PROXY, new ProxyProtocolDecoder(s.proxyProtocol, trusted,
                    (ctx, cause) -> log.info("{} {} connection closed: {}", s.name,
                            ClientAddress.format(ClientAddress.of(ctx.channel())), cause)));
        }
        TlsContextHolder t = tls;
        if (t != null) {
            p.addLast(TLS, t.newHandler(ch.alloc(), s.handshakeTimeout * 1000L));
            p.addLast(TLS_LOG, new TlsLog(s.name));
        }
    }

    /**
     * Works out the real client address from the request head (forwarding headers, believed only from
     * trusted proxies) and records it on the channel for the request, the logs and the limits.
     */
    void resolveClient(Channel ch, HttpHead head, ListenerSettings s) {
        InetSocketAddress start = ClientAddress.of(ch);
        InetSocketAddress real = ClientAddress.fromHeaders(start, head, s.trustedProxies);
        if (real != null && real != start) {
            ch.attr(ClientAddress.REAL).set(real);
        }
    }

    /**
     * The connection limits, by the real client address, after the request passed its checks and
     * before the route look-up.
     *
     * @return null when admitted (and counted until the channel closes), else the cause of the 503
     */
    String admit(Channel ch, ListenerSettings s) {
        InetSocketAddress real = ClientAddress.of(ch);
        if (real == null || s.maxConnections == 0 && s.maxConnectionsPerIp == 0) {
            return null;
        }
        return limits.tryAcquire(ch, real.getAddress(), s.maxConnections, s.maxConnectionsPerIp);
    }

    @Override
    public synchronized void close() {
        if (tls != null) {
            tls.close();
            tls = null;
        }
    }

    /** Logs a failed TLS handshake once (rate limited), then steps out of the pipeline. */
    private final class TlsLog extends ChannelInboundHandlerAdapter {
        private final String name;

        TlsLog(String name) {
            this.name = name;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent) {
                SslHandshakeCompletionEvent e = (SslHandshakeCompletionEvent) evt;
                if (!e.isSuccess()) {
                    ListenerCounters m = counters;
                    if (m != null) {
                        m.tlsFailures.increment();
                    }
                    Throwable c = e.cause();
                    while (c.getCause() != null && c.getMessage() != null && c.getMessage().startsWith("javax.net")) {
                        c = c.getCause();
                    }
                    log.info("{} {} TLS handshake failed, connection closed: {}", name,
                            ClientAddress.format(ClientAddress.of(ctx.channel())),
                            c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
                    ctx.close();
                }
                if (ctx.pipeline().context(this) != null) {
                    ctx.pipeline().remove(this);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a handshake failure is logged by userEventTriggered; the channel is closed there
            if (!(cause instanceof io.netty.handler.codec.DecoderException
                    && cause.getCause() instanceof javax.net.ssl.SSLException)) {
                ctx.fireExceptionCaught(cause);
            }
        }
    }
}
