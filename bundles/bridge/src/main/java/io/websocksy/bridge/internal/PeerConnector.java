package io.websocksy.bridge.internal;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.DomainSocketAddress;
import io.websocksy.api.peer.PeerAddress;

/**
 * Connects the peer of one bridge on the client's own event loop, asynchronously (DNS included), with
 * auto-read off so nothing is read from the peer before the 101 is written.
 */
final class PeerConnector {
    private PeerConnector() {
    }

    static ChannelFuture connect(Transport t, EventLoop loop, Connection conn, int connectTimeoutMillis)
            throws UnsupportedTransportException {
        PeerAddress a = conn.route().peer();
        Bootstrap b = new Bootstrap().group(loop)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ListenerPipelines.peer(ch, conn);
                    }
                });
        switch (a.transport()) {
            case TCP:
                return attach(conn, b.channel(t.tcpChannel()).resolver(t.resolver())
                        .option(ChannelOption.TCP_NODELAY, true)
                        .connect(InetSocketAddress.createUnresolved(a.host(), a.port())));
            case UDP:
                return attach(conn, b.channel(t.udpChannel()).resolver(t.resolver())
                        .connect(InetSocketAddress.createUnresolved(a.host(), a.port())));
            case UNIX:
                return attach(conn, b.channel(t.unixChannel()).connect(t.unixAddress(a.path())));
            case UNIX_DGRAM:
            default:
                Class<? extends Channel> dgram = t.unixDatagramChannel();
                if (dgram == null) {
                    throw new UnsupportedTransportException("unix-dgram peers need the epoll transport");
                }
                String local = t.newDatagramSocketPath();
                return attach(conn, b.channel(dgram).connect(new DomainSocketAddress(a.path()),
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
    static final class UnsupportedTransportException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedTransportException(String message) {
            super(message);
        }
    }
}
