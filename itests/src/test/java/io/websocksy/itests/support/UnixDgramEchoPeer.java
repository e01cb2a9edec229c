package io.websocksy.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;

/**
 * A unix-domain datagram echo peer. The JDK cannot do unix datagram sockets (STACK §3), so this uses
 * Netty's epoll transport, the same Netty bundles the bridge runs on (imported dynamically by the
 * probe). Every datagram goes back to its sender's address.
 */
public final class UnixDgramEchoPeer implements AutoCloseable {
    private final Path dir;
    private final Path path;
    private final EventLoopGroup group;
    private final Channel channel;

    public UnixDgramEchoPeer() throws IOException, InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("epoll unavailable inside the framework", Epoll.unavailabilityCause());
        }
        dir = Files.createTempDirectory("wsy");
        path = dir.resolve("d.sock");
        group = new EpollEventLoopGroup(1);
        channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                        DomainSocketAddress sender = p.sender();
                        if (sender == null) {
                            System.err.println("unix-dgram echo: datagram from an unbound socket, cannot answer");
                            return;
                        }
                        ctx.writeAndFlush(new DomainDatagramPacket(p.content().retainedDuplicate(), sender))
                                .addListener(f -> {
                                    if (!f.isSuccess()) {
                                        System.err.println("unix-dgram echo: send to " + sender + " failed: " + f.cause());
                                    }
                                });
                    }
                })
                .bind(new DomainSocketAddress(path.toFile())).sync().channel();
    }

    /** @return {@code unix-dgram://<path>} */
    public String address() {
        return "unix-dgram://" + path;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }
}
