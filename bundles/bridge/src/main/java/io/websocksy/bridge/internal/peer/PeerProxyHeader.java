package io.websocksy.bridge.internal.peer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.websocksy.api.backend.PeerProxyProtocol;
import io.websocksy.bridge.internal.relay.Connection;

/**
 * The route option {@code peer-proxy-protocol} (API 1.1): a PROXY protocol header with the client's
 * real address (after {@code trusted-proxies}) and the listener's address, written to a stream peer
 * (tcp or unix) as its very first bytes, once it is connected and before the {@code 101}, so no client
 * data can precede it. Datagram peers get no header. Encoded by netty-codec-haproxy.
 */
public final class PeerProxyHeader {
    public static final String HANDLER = "proxyheader";
    private static final Logger LOG = LoggerFactory.getLogger(PeerProxyHeader.class);

    private PeerProxyHeader() {
    }

    public static void send(Channel peer, Connection conn, Channel client) {
        PeerProxyProtocol p = conn.route().peerProxyProtocol();
        if (p == PeerProxyProtocol.OFF) {
            return;
        }
        if (conn.isDatagram()) {
            LOG.debug("#{} peer-proxy-protocol ignored for the datagram peer {}", conn.id(), conn.route().peer());
            return;
        }
        HAProxyMessage m = message(p, conn.clientAddress(), client.localAddress());
        if (peer.pipeline().get(HANDLER) == null) {
            peer.pipeline().addFirst(HANDLER, HAProxyMessageEncoder.INSTANCE);
        }
        peer.writeAndFlush(m, peer.voidPromise());
    }

    /**
     * @param version V1 or V2
     * @param source the real client
     * @param local the listener's socket address (destination), may be a non-IP address
     * @return the header message; TCP6 when either side is IPv6 (IPv4 then written IPv4-mapped)
     */
    public static HAProxyMessage message(PeerProxyProtocol version, InetSocketAddress source, SocketAddress local) {
        HAProxyProtocolVersion v = version == PeerProxyProtocol.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        InetAddress src = source.getAddress();
        InetSocketAddress dst = local instanceof InetSocketAddress ? (InetSocketAddress) local : null;
        InetAddress dstAddr = dst == null || dst.getAddress() == null ? null : dst.getAddress();
        int dstPort = dst == null ? 0 : dst.getPort();
        src = unmapped(src);
        dstAddr = dstAddr == null ? (src instanceof Inet4Address ? any4() : any6()) : unmapped(dstAddr);
        boolean six = src instanceof Inet6Address || dstAddr instanceof Inet6Address;
        String s = six ? v6(src) : src.getHostAddress();
        String d = six ? v6(dstAddr) : dstAddr.getHostAddress();
        return new HAProxyMessage(v, HAProxyCommand.PROXY, six ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4,
                s, d, source.getPort(), dstPort);
    }

    private static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (java.net.UnknownHostException e) {
                    return a;
                }
            }
        }
        return a;
    }

    private static String v6(InetAddress a) {
        if (a instanceof Inet4Address) {
            return "::ffff:" + a.getHostAddress();
        }
        String h = a.getHostAddress();
        int pct = h.indexOf('%');
        return pct >= 0 ? h.substring(0, pct) : h;
    }

    private static InetAddress any4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress any6() {
        try {
            return InetAddress.getByAddress(new byte[16]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
