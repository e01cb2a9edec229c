package io.websocksy.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * The load generator's connections: raw TCP, or RFC 6455 WebSocket through Netty's client handshaker
 * (masked frames, as a browser sends them). Every connection reports the payload bytes it receives to
 * a {@link Receiver}; for TCP that is the byte stream, for WebSocket the data frames' payloads. Pings
 * are answered with pongs, so idle connections survive the bridge's keep-alive.
 */
public final class Client implements AutoCloseable {
    /** Largest frame payload the client accepts from the bridge. */
    static final int MAX_FRAME = 64 << 20;

    private final Net.Kind kind;
    private final EventLoopGroup group;
    private volatile SslContext tls;

    /**
     * @param kind transport of the client sockets
     * @param threads event loops
     */
    public Client(Net.Kind kind, int threads) {
        this.kind = kind;
        this.group = kind.group(threads, "client");
    }

    /**
     * @param ctx the client TLS context for {@code wss://} targets (one per run; each connection gets its own
     *     handler without a peer host, so no session is resumed: every connection pays a full handshake)
     */
    public void tls(SslContext ctx) {
        this.tls = ctx;
    }

    /** Receives what a connection reads; called on the connection's event loop. */
    public interface Receiver {
        /**
         * @param c the connection
         * @param bytes payload bytes received
         */
        void received(Conn c, int bytes);

        /**
         * The server sent a close frame (WebSocket only).
         *
         * @param c the connection
         * @param code the close code
         */
        default void closeFrame(Conn c, int code) {
        }
    }

    /** One client connection. */
    public static final class Conn {
        final Channel ch;
        final boolean ws;
        volatile Receiver receiver;
        /** Free for the scenario's per-connection bookkeeping (event-loop confined). */
        long outstanding;
        long received;
        int closeCode = -1;
        boolean closeSent;

        Conn(Channel ch, boolean ws, Receiver receiver) {
            this.ch = ch;
            this.ws = ws;
            this.receiver = receiver;
        }

        /** @return the channel */
        public Channel channel() {
            return ch;
        }

        /** @return the negotiated TLS protocol and cipher suite, or null without TLS */
        public String tlsSession() {
            SslHandler h = ch.pipeline().get(SslHandler.class);
            return h == null ? null : h.engine().getSession().getProtocol() + " " + h.engine().getSession()
                    .getCipherSuite();
        }

        /**
         * Writes one message (WebSocket: one binary frame; TCP: the bytes), without flushing.
         *
         * @param payload the payload; ownership passes to the channel
         */
        public void write(ByteBuf payload) {
            if (ws) {
                ch.write(new BinaryWebSocketFrame(payload), ch.voidPromise());
            } else {
                ch.write(payload, ch.voidPromise());
            }
        }

        /** Flushes what was written. */
        public void flush() {
            ch.flush();
        }

        /**
         * Ends the connection: WebSocket sends close 1000 and waits for the server to close TCP (at
         * most {@code graceSeconds}); TCP closes at once.
         *
         * @param graceSeconds how long to wait for the server's close
         * @return the channel's close future
         */
        public ChannelFuture close(int graceSeconds) {
            if (ws && ch.isActive()) {
                closeSent = true;
                ch.writeAndFlush(new CloseWebSocketFrame(1000, "bench done"))
                        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                ch.eventLoop().schedule(() -> {
                    ch.close();
                }, graceSeconds, TimeUnit.SECONDS);
                return ch.closeFuture();
            }
            return ch.close();
        }
    }

    /**
     * Opens a connection; the future completes when TCP is connected, or for WebSocket when the 101 has
     * been received.
     *
     * @param t target
     * @param r receiver of the connection's data
     * @return the connection, or the failure (refused, non-101 answer...)
     */
    public Future<Conn> connect(Target t, Receiver r) {
        Promise<Conn> p = group.next().newPromise();
        Bootstrap b = new Bootstrap().group(group).channel(kind.socket())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        if (t.ws()) {
            WebSocketClientHandshaker hs = WebSocketClientHandshakerFactory.newHandshaker(URI.create(t.uri()),
                    WebSocketVersion.V13, null, t.deflate(), EmptyHttpHeaders.INSTANCE, MAX_FRAME);
            SslContext ctx = tls;
            if (t.tls() && ctx == null) {
                return p.setFailure(new IllegalStateException(t.uri() + ": the client has no TLS context"));
            }
            b.handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (t.tls()) {
                        // the upgrade request is written on channelActive and held by SslHandler until the handshake ends
                        ch.pipeline().addLast(ctx.newHandler(ch.alloc()));
                    }
                    if (t.deflate()) {
                        ch.pipeline().addLast(new WireCounter());
                    }
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192));
                    if (t.deflate()) {
                        ch.pipeline().addLast(new io.netty.handler.codec.http.websocketx.extensions.compression
                                .WebSocketClientCompressionHandler(2 * MAX_FRAME));
                    }
                    ch.pipeline().addLast(new WsHandler(hs, p, r, t.deflate()));
                }
            });
        } else {
            b.handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new TcpHandler(p, r));
                }
            });
        }
        b.connect(new InetSocketAddress(Net.LOOPBACK, t.port())).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                p.tryFailure(f.cause());
            }
        });
        return p;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Bytes read from the socket by permessage-deflate connections (frames as on the wire, headers included). */
    static final java.util.concurrent.atomic.LongAdder WIRE_IN = new java.util.concurrent.atomic.LongAdder();
    /** Payload bytes (inflated) received by permessage-deflate connections. */
    static final java.util.concurrent.atomic.LongAdder PAYLOAD_IN = new java.util.concurrent.atomic.LongAdder();

    /** Counts what the socket delivers, ahead of every decoder. */
    private static final class WireCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.buffer.ByteBuf) {
                WIRE_IN.add(((io.netty.buffer.ByteBuf) msg).readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static final class TcpHandler extends ChannelInboundHandlerAdapter {
        private final Promise<Conn> ready;
        private final Receiver receiver;
        private Conn conn;

        TcpHandler(Promise<Conn> ready, Receiver receiver) {
            this.ready = ready;
            this.receiver = receiver;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            conn = new Conn(ctx.channel(), false, receiver);
            ready.trySuccess(conn);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            int n = b.readableBytes();
            b.release();
            conn.received += n;
            conn.receiver.received(conn, n);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ready.tryFailure(new IllegalStateException("closed before it was ready"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ready.tryFailure(cause);
            ctx.close();
        }
    }

    private static final class WsHandler extends ChannelInboundHandlerAdapter {
        private final WebSocketClientHandshaker hs;
        private final Promise<Conn> ready;
        private final Receiver receiver;
        private final boolean counted;
        private Conn conn;

        WsHandler(WebSocketClientHandshaker hs, Promise<Conn> ready, Receiver receiver, boolean counted) {
            this.hs = hs;
            this.ready = ready;
            this.receiver = receiver;
            this.counted = counted;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            hs.handshake(ctx.channel()).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    ready.tryFailure(f.cause());
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (conn == null) {
                FullHttpResponse res = (FullHttpResponse) msg;
                try {
                    hs.finishHandshake(ctx.channel(), res);
                    conn = new Conn(ctx.channel(), true, receiver);
                    ready.trySuccess(conn);
                } catch (RuntimeException e) {
                    ready.tryFailure(new IllegalStateException("handshake failed: " + res.status(), e));
                    ctx.close();
                } finally {
                    res.release();
                }
                return;
            }
            if (msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame
                    || msg instanceof ContinuationWebSocketFrame) {
                WebSocketFrame f = (WebSocketFrame) msg;
                int n = f.content().readableBytes();
                f.release();
                if (counted) {
                    PAYLOAD_IN.add(n);
                }
                conn.received += n;
                conn.receiver.received(conn, n);
            } else if (msg instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(((PingWebSocketFrame) msg).content()));
            } else if (msg instanceof CloseWebSocketFrame) {
                CloseWebSocketFrame c = (CloseWebSocketFrame) msg;
                conn.closeCode = c.statusCode();
                conn.receiver.closeFrame(conn, c.statusCode());
                c.release();
                if (conn.closeSent) {
                    ctx.close();
                } else { // RFC 6455 5.5.1: answer the server's close, then close TCP
                    conn.closeSent = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(1000, ""))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ready.tryFailure(new IllegalStateException("closed before the handshake completed"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ready.tryFailure(cause);
            ctx.close();
        }
    }
}
