package io.websocksy.bridge.internal.handshake;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.Route;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramingState;
import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.http.HttpError;
import io.websocksy.bridge.internal.http.HealthAnswer;
import io.websocksy.bridge.internal.http.HttpHead;
import io.websocksy.bridge.internal.http.Responses;
import io.websocksy.bridge.internal.peer.PeerConnector;
import io.websocksy.bridge.internal.peer.PeerGate;
import io.websocksy.bridge.internal.peer.PeerProxyHeader;
import io.websocksy.bridge.internal.relay.Connection;
import io.websocksy.bridge.internal.relay.ListenerCounters;
import io.websocksy.bridge.internal.relay.WatchedConnection;
import io.websocksy.bridge.internal.runtime.ServiceTable;
import io.websocksy.bridge.internal.security.ClientAddress;

/**
 * The handshake phase of one client: handshake timeout counted from accept, RFC 6455 checks, route
 * look-up on the route executor, framer open and peer connect, all before the {@code 101}; every
 * failure is an HTTP status (docs/behaviour.md#handshake) and one log line naming the cause. Nothing here blocks the event
 * loop.
 */
public final class UpgradeHandler extends ChannelInboundHandlerAdapter {
    private final ListenerContext context;
    private final ListenerSettings settings;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> gatewayTimer;
    private boolean headSeen;
    private boolean finished;
    /** Method and (cut) target of the request, for the log line of a rejection. */
    private String request = "-";
    /** Retry-After seconds of a 503 for a connection limit; 0 = none. */
    private int retryAfter;
    /** The connection whose peer is connecting; owns the peer channel and, through it, the framing state. */
    private Connection pending;
    private FramingState openedState;
    /** permessage-deflate as agreed with this client; null when not used (issue 18). */
    private io.websocksy.bridge.internal.deflate.Negotiation.Agreed deflate;
    // metrics: accept time, route look-up start
    private final long acceptedAt = System.nanoTime();
    private final ListenerCounters counters;
    private long askedAt;

    public UpgradeHandler(ListenerContext context) {
        this.context = context;
        this.settings = context.settings();
        this.counters = context.counters();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshakeTimer = ctx.executor().schedule(() -> {
            if (!headSeen && ctx.channel().isOpen()) {
                context.rejected(ctx.channel(), request, 408, "no complete request within " + settings.handshakeTimeout + " s");
                ctx.close();
            }
        }, settings.handshakeTimeout, TimeUnit.SECONDS);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (headSeen) {
            ReferenceCountUtil.release(msg);
            return;
        }
        headSeen = true;
        if (handshakeTimer != null) { // null when StaticFileHandler hands over a keep-alive request
            handshakeTimer.cancel(false);
        }
        if (msg instanceof HttpError) {
            reject(ctx, ((HttpError) msg).status, ((HttpError) msg).getMessage());
            return;
        }
        HttpHead head = (HttpHead) msg;
        context.resolveClient(ctx.channel(), head);
        request = head.method + " " + LogTarget.of(head.target);
        if (HealthAnswer.matches(head, settings.healthPath)) { // listener key health-path: answered before files and upgrades
            finished = true;
            cancelTimers();
            HealthAnswer.answer(ctx.channel(), context.unhealthy());
            return;
        }
        if (StaticFileHandler.wants(settings, head)) { // listener key web: a plain GET/HEAD is answered from files
            finished = true;
            StaticFileHandler.takeOver(ctx, context, head);
            return;
        }
        HandshakeValidator.Valid valid;
        try {
            valid = HandshakeValidator.validate(head, settings);
        } catch (HttpError e) {
            reject(ctx, e.status, e.getMessage());
            return;
        }
        deflate = negotiateDeflate(head);
        String full = context.admit(ctx.channel());
        if (full != null) {
            retryAfter = settings.retryAfter;
            reject(ctx, 503, full);
            return;
        }
        Request req = new Request(head, valid.subprotocols, ClientAddress.of(ctx.channel()), settings.name);
        ServiceTable.Entry<Backend> backend = context.backend();
        if (backend == null) {
            reject(ctx, 503, "no backend named '" + settings.backend + "' is running");
            return;
        }
        gatewayTimer = ctx.executor().schedule(() -> reject(ctx, 504,
                "route and peer connect not done within " + settings.connectTimeout + " s"), settings.connectTimeout, TimeUnit.SECONDS);
        askedAt = System.nanoTime();
        try {
            BiConsumer<Optional<Route>, Throwable> done = (r, t) -> {
                if (ctx.executor().inEventLoop()) {
                    routed(ctx, req, valid, backend, r, t); // an inline backend answered at once
                } else {
                    ctx.executor().execute(() -> routed(ctx, req, valid, backend, r, t));
                }
            };
            RouteCheck.ask(context.routeExecutor(), backend, req, done);
        } catch (RejectedExecutionException e) {
            reject(ctx, 503, "route executor saturated");
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!headSeen) {
            ctx.read();
        }
    }

    private void routed(ChannelHandlerContext ctx, Request req, HandshakeValidator.Valid valid,
            ServiceTable.Entry<Backend> backend, Optional<Route> result, Throwable failure) {
        counters.routeLookup.since(askedAt);
        if (finished || !ctx.channel().isActive()) {
            counters.bridge().backend(backend.name).lookedUp(-1);
            return;
        }
        RouteCheck.Outcome out = RouteCheck.check(backend, req, result, failure, context.framers());
        counters.bridge().backend(backend.name).lookedUp(out.status);
        if (!out.ok()) {
            reject(ctx, out.status, out.cause);
            return;
        }
        Route route = out.route;
        ServiceTable.Entry<Framer> framer = out.framer;
        openedState = out.state;
        Connection conn = new Connection(context.nextConnectionId(), settings, ctx.channel(), req.remoteAddress(),
                req.path(), route, framer.name, framer.ref, backend.ref, openedState);
        ChannelFuture f;
        long connectAt = System.nanoTime();
        try {
            f = context.connectPeer(conn);
        } catch (PeerConnector.UnsupportedTransportException e) {
            reject(ctx, 502, "cannot connect " + route.peer() + ": " + e.getMessage());
            return;
        }
        pending = conn;
        openedState = null; // owned by the peer pipeline, which closes it with the channel
        Route r = route;
        f.addListener(done -> {
            counters.peerConnect.since(connectAt);
            if (finished || !ctx.channel().isActive()) {
                f.channel().close();
                return;
            }
            if (!done.isSuccess()) {
                Throwable c = done.cause();
                if (c instanceof PeerGate.PeerNotAllowedException) {
                    reject(ctx, 403, "peer not allowed: " + c.getMessage());
                    return;
                }
                int status = isTimeout(c) ? 504 : 502;
                reject(ctx, status, "cannot connect " + r.peer() + ": " + describe(c));
                return;
            }
            PeerProxyHeader.send(f.channel(), conn, ctx.channel());
            upgrade(ctx, conn, valid, r);
        });
    }

    private void upgrade(ChannelHandlerContext ctx, Connection conn, HandshakeValidator.Valid valid, Route route) {
        finished = true;
        cancelTimers();
        pending = null;
        ctx.write(Responses.switching(ctx.alloc(), HandshakeValidator.accept(valid.key),
                route.subprotocol().orElse(null), deflate == null ? null : deflate.header()));
        counters.handshake.since(acceptedAt);
        conn.counters(counters);
        context.upgraded(ctx.pipeline(), conn, deflate);
        conn.started();
        WatchedConnection.opened(conn);
        Channel ch = conn.clientChannel();
        ch.flush();
        ch.read();
    }

    /** RFC 7692 negotiation; a declined offer is a 101 without the extension and a debug line. */
    private io.websocksy.bridge.internal.deflate.Negotiation.Agreed negotiateDeflate(HttpHead head) {
        io.websocksy.bridge.internal.deflate.Negotiation.Result r = io.websocksy.bridge.internal.deflate.Negotiation
                .negotiate(head.all("sec-websocket-extensions"), settings.compression);
        if (r.declined != null) {
            org.slf4j.LoggerFactory.getLogger(UpgradeHandler.class).debug("{} {}: {}", settings.name, request, r.declined);
        }
        return r.agreed;
    }

    static boolean isTimeout(Throwable c) {
        for (Throwable t = c; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable c) {
        if (c instanceof UnknownHostException) {
            return "unknown host (" + c.getMessage() + ")";
        }
        if (c instanceof ConnectException) {
            return "connection refused (" + c.getMessage() + ")";
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    private void reject(ChannelHandlerContext ctx, int status, String cause) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimers();
        release();
        counters.handshake.since(acceptedAt);
        context.rejected(ctx.channel(), request, status, cause);
        if (ctx.channel().isActive()) {
            Responses.error(ctx.channel(), status, retryAfter);
        }
    }

    private void cancelTimers() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (gatewayTimer != null) {
            gatewayTimer.cancel(false);
        }
    }

    private void release() {
        if (pending != null) {
            pending.abandon(); // closes the peer channel, whose pipeline closes the framing state
            pending = null;
        }
        if (openedState != null) {
            openedState.close();
            openedState = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished) {
            finished = true;
            cancelTimers();
            release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!finished) {
            finished = true;
            cancelTimers();
            release();
        }
        ctx.close();
    }
}
