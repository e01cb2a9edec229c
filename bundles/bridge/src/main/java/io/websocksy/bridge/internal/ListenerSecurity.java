package io.websocksy.bridge.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;

import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.relay.ListenerCounters;
import io.websocksy.bridge.internal.http.HttpHead;
import io.websocksy.bridge.internal.runtime.RateLimitedLog;
import io.websocksy.bridge.internal.security.ClientAddress;
import io.websocksy.bridge.internal.security.ConnectionLimits;
import io.websocksy.bridge.internal.security.ProxyProtocolDecoder;
import io.websocksy.bridge.internal.security.TlsContextHolder;

/**
 * The security and operations side of one listener (docs/behaviour.md#security), owned by {@link Listener} across
 * reconfigurations: the TLS context (reloaded when its files change), the PROXY protocol decoder and
 * TLS handler at the front of each client pipeline, the real client address, and the connection
 * limits. Where its handlers stand in the client pipeline: {@link BridgePipeline}.
 */
public final class ListenerSecurity implements AutoCloseable {
    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger("io.websocksy.handshake"), 20);
    private final ConnectionLimits limits = new ConnectionLimits();
    private volatile TlsContextHolder tls;

    /** Metrics of the owning listener (TLS handshake failures); null until the listener activates. */
    private volatile ListenerCounters counters;

    void counters(ListenerCounters c) {
        counters = c;
    }

    /**
     * Applies {@code s}: loads its TLS files (replacing the previous context, whose open connections
     * continue), whose reload check runs on {@code scheduler}. Runs on the configuration thread.
     *
     * @throws IllegalArgumentException when the TLS files cannot be used; the previous state is kept
     */
    synchronized void configure(ListenerSettings s, ScheduledExecutorService scheduler) {
        TlsContextHolder next = s.tls == null ? null : new TlsContextHolder(s.name, s.tls, scheduler);
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

    /** @return where the PROXY decoder reports a connection it closes (one rate-limited line) */
    ProxyProtocolDecoder.Rejection proxyFailureLog(String listener) {
        return (ctx, cause) -> log.info("{} {} connection closed: {}", listener,
                ClientAddress.format(ClientAddress.of(ctx.channel())), cause);
    }

    /** @return the handler that logs a failed TLS handshake of one client, then steps out of the pipeline */
    ChannelInboundHandlerAdapter tlsLog(String listener) {
        return new TlsLog(listener);
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
