package io.websocksy.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;

/**
 * The "no WebSocket layer at all" baseline: a plain Netty read/write-through TCP proxy, built the way
 * the bridge is built (same event loop for both sides, auto-read off, write on read and flush on
 * read-complete, each side read only while the other is writable, peer connected before the client is
 * read). What the bridge costs on top of this is the WebSocket layer and the framer.
 *
 * <p>Run as its own process: {@code --transport epoll|nio --map listenPort:targetPort,...}; prints
 * {@code READY} when bound, exits when stdin closes or after {@code --max-seconds}.
 */
public final class RawRelay {
    private final Net.Kind kind;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<Channel> listeners = new ArrayList<>();

    /**
     * @param kind transport
     * @param workerThreads event loops (0 = Netty's default, 2 x cores, as the bridge)
     */
    public RawRelay(Net.Kind kind, int workerThreads) {
        this.kind = kind;
        this.boss = kind.group(1, "relay-accept");
        this.workers = kind.group(workerThreads, "relay-io");
    }

    /**
     * @param argv {@code --transport epoll --map 9000:9100,9001:9101 [--threads 0] [--max-seconds 1800]}
     * @throws Exception when a port cannot be bound
     */
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        a.allow("transport", "map", "threads", "max-seconds");
        Net.exitWithParent("raw-relay", a.integer("max-seconds", 1800));
        RawRelay relay = new RawRelay(Net.Kind.parse(a.get("transport", "epoll")), a.integer("threads", 0));
        for (String m : a.require("map").split(",")) {
            String[] p = m.trim().split(":");
            if (p.length != 2) {
                throw new IllegalArgumentException("--map entries are listenPort:targetPort, got '" + m + "'");
            }
            relay.listen(Integer.parseInt(p[0]), new InetSocketAddress(Net.LOOPBACK, Integer.parseInt(p[1])));
        }
        System.out.println("READY relay " + relay.kind.id() + " " + a.require("map"));
        System.out.flush();
        relay.listeners.get(0).closeFuture().sync();
    }

    /**
     * @param port loopback port to listen on (0 = any)
     * @param target where to relay each connection
     * @return the bound port
     * @throws InterruptedException when interrupted while binding
     */
    public int listen(int port, InetSocketAddress target) throws InterruptedException {
        Channel ch = new ServerBootstrap().group(boss, workers).channel(kind.server())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Front(target));
                    }
                })
                .bind(new InetSocketAddress(Net.LOOPBACK, port)).sync().channel();
        listeners.add(ch);
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Closes the listeners and the event loops. */
    public void close() {
        listeners.forEach(Channel::close);
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The client side: connects the target on the same event loop, then relays. */
    private final class Front extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress target;
        private Channel back;

        Front(InetSocketAddress target) {
            this.target = target;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel front = ctx.channel();
            new Bootstrap().group(front.eventLoop()).channel(kind.socket())
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Pipe(front))
                    .connect(target).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            back = f.channel();
                            front.read();
                            back.read();
                        } else {
                            front.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(msg, back);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readComplete(ctx.channel(), back);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && back != null) {
                back.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(back);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The target side: relays back to the client. */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel other;

        Pipe(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(msg, other);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readComplete(ctx.channel(), other);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                other.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(other);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static void relay(Object msg, Channel to) {
        if (to != null && to.isActive()) {
            to.write(msg, to.voidPromise());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    static void readComplete(Channel from, Channel to) {
        if (to == null) {
            return;
        }
        to.flush();
        if (to.isWritable()) {
            from.read();
        }
    }

    static void closeOnFlush(Channel ch) {
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
