package io.websocksy.bridge.internal.peer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.NetUtil;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.bridge.internal.relay.Connection;
import io.websocksy.bridge.internal.runtime.NettyRuntime;
import io.websocksy.bridge.internal.security.PeerAllowList;

/**
 * Connects the peer of one bridge on the client's own event loop, asynchronously (DNS included), with
 * auto-read off so nothing is read from the peer before the 101 is written.
 */
public final class PeerConnector {
    /**
     * Receive buffer for one UDP datagram: the largest possible (65 507 payload bytes over IPv4). Netty's
     * datagram default is 2048 bytes, and a longer datagram would be cut without notice.
     */
    static final int UDP_RECEIVE = 65_536;
    /** Receive buffer for one unix datagram: Linux's default socket buffer, which bounds a datagram. */
    static final int UNIX_DGRAM_RECEIVE = 212_992;

    private PeerConnector() {
    }

    /**
     * @param pipeline puts the peer handlers in place ({@code BridgePipeline.peer})
     * @throws UnsupportedTransportException when this runtime cannot reach the peer's transport
     */
    /**
     * @return the peer's socket address: resolved at once when the host is an IP literal (no trip through
     *     the resolver per connection), else unresolved for the transport's resolver
     */
    static InetSocketAddress address(PeerAddress a) {
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(a.host());
        return literal != null ? new InetSocketAddress(literal, a.port())
                : InetSocketAddress.createUnresolved(a.host(), a.port());
    }

    public static ChannelFuture connect(NettyRuntime t, EventLoop loop, Connection conn, int connectTimeoutMillis,
            Consumer<Channel> pipeline) throws UnsupportedTransportException {
        PeerAddress a = conn.route().peer();
        Bootstrap b = new Bootstrap().group(loop)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        pipeline.accept(ch);
                    }
                });
        PeerAllowList allowed = conn.settings().allowedPeers;
        switch (a.transport()) {
            case TCP:
                if (!allowed.isEmpty()) {
                    return attach(conn, PeerGate.connectInet(b.channel(t.tcpChannel())
                            .option(ChannelOption.TCP_NODELAY, true), t.resolver().getResolver(loop), allowed, a));
                }
                return attach(conn, b.channel(t.tcpChannel()).resolver(t.resolver())
                        .option(ChannelOption.TCP_NODELAY, true)
                        .connect(address(a)));
            case UDP:
                if (!allowed.isEmpty()) {
                    return attach(conn, PeerGate.connectInet(b.channel(t.udpChannel())
                            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_RECEIVE)),
                            t.resolver().getResolver(loop), allowed, a));
                }
                return attach(conn, b.channel(t.udpChannel()).resolver(t.resolver())
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_RECEIVE))
                        .connect(address(a)));
            case UNIX:
                if (!allowed.isEmpty()) {
                    return attach(conn, PeerGate.connectUnix(b.channel(t.unixChannel()), allowed, a.path(),
                            t::unixAddress, null));
                }
                return attach(conn, b.channel(t.unixChannel()).connect(t.unixAddress(a.path())));
            case UNIX_DGRAM:
            default:
                Class<? extends Channel> dgram = t.unixDatagramChannel();
                if (dgram == null) {
                    throw new UnsupportedTransportException("unix-dgram peers need the epoll transport");
                }
                String local = t.newDatagramSocketPath();
                if (!allowed.isEmpty()) {
                    return attach(conn, PeerGate.connectUnix(b.channel(dgram)
                            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UNIX_DGRAM_RECEIVE)),
                            allowed, a.path(), DomainSocketAddress::new, new DomainSocketAddress(local)), local);
                }
                return attach(conn, b.channel(dgram)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UNIX_DGRAM_RECEIVE))
                        .connect(new DomainSocketAddress(a.path()),
                        new DomainSocketAddress(local)), local);
        }
    }

    private static ChannelFuture attach(Connection conn, ChannelFuture f) {
        return attach(conn, f, null);
    }

    /** Hands the peer channel (and the unix-dgram socket path to remove on close) to the connection. */
    private static ChannelFuture attach(Connection conn, ChannelFuture f, String localPath) {
        conn.peerChannel(f.channel(), localPath);
        return f;
    }

    /** The peer's transport cannot be used on this runtime. */
    public static final class UnsupportedTransportException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedTransportException(String message) {
            super(message);
        }
    }
}
