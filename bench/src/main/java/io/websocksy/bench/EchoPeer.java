package io.websocksy.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;

/**
 * The network peer of every scenario, in its own process. On each {@code --echo} port it echoes what
 * it reads (write on read, flush on read-complete, stop reading while unwritable). On the
 * {@code --source} port it streams {@code --chunk}-byte chunks to every connection as fast as the
 * connection takes them, and drops what it reads. Prints {@code READY} when every port is bound; exits
 * when stdin closes or after {@code --max-seconds}.
 */
public final class EchoPeer {
    private EchoPeer() {
    }

    /**
     * @param argv {@code --transport epoll|nio --echo p1,p2 --source p --chunk 65536 --max-seconds 1800}
     * @throws Exception when a port cannot be bound
     */
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        a.allow("transport", "echo", "source", "chunk", "max-seconds", "threads");
        Net.Kind kind = Net.Kind.parse(a.get("transport", "epoll"));
        List<Integer> echo = Args.ports(a.get("echo", ""));
        List<Integer> source = Args.ports(a.get("source", ""));
        int chunk = a.integer("chunk", 64 * 1024);
        Net.exitWithParent("echo-peer", a.integer("max-seconds", 1800));
        EventLoopGroup group = kind.group(a.integer("threads", 0), "peer");
        List<Channel> bound = new ArrayList<>();
        for (int p : echo) {
            bound.add(bind(kind, group, p, new EchoHandler()));
        }
        ByteBuf data = Unpooled.unreleasableBuffer(Payloads.direct(chunk));
        for (int p : source) {
            bound.add(bind(kind, group, p, new SourceHandler(data)));
        }
        System.out.println("READY " + kind.id() + " echo=" + echo + " source=" + source);
        System.out.flush();
        for (Channel c : bound) {
            c.closeFuture().sync();
        }
    }

    static Channel bind(Net.Kind kind, EventLoopGroup group, int port, ChannelHandler handler)
            throws InterruptedException {
        return new ServerBootstrap().group(group).channel(kind.server())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handler);
                    }
                })
                .bind(new InetSocketAddress(Net.LOOPBACK, port)).sync().channel();
    }

    /** Echo: write what was read, flush once per read burst, and read only while writable. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // resets from the far side are normal when a scenario ends
        }
    }

    /** Source: keeps the connection's outbound buffer full with one shared chunk; drops input. */
    @ChannelHandler.Sharable
    static final class SourceHandler extends ChannelInboundHandlerAdapter {
        private final ByteBuf chunk;

        SourceHandler(ByteBuf chunk) {
            this.chunk = chunk;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            fill(ctx.channel());
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            fill(ctx.channel());
        }

        private void fill(Channel ch) {
            if (!ch.isActive()) {
                return;
            }
            while (ch.isWritable()) {
                ch.write(chunk.duplicate(), ch.voidPromise());
            }
            ch.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
