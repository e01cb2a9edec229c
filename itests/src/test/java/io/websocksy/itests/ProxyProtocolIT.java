package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.itests.support.SockWs;
import io.websocksy.itests.support.TcpPeer;

/**
 * SPEC 9, real client address: PROXY protocol v1 and v2 from a trusted and an untrusted source, and
 * {@code X-Forwarded-For} from a trusted proxy; the backend sees the real address.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProxyProtocolIT extends BridgeTestBase {
    private final AtomicReference<InetSocketAddress> seen = new AtomicReference<>();

    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    private String backend(TcpPeer echo) {
        return bridge.registerBackend(req -> {
            seen.set(req.remoteAddress());
            return CompletableFuture.completedFuture(Optional.of(Route.to(PeerAddress.parse(echo.address())).build()));
        });
    }

    static byte[] v1(String src, int port) {
        return ("PROXY TCP4 " + src + " 127.0.0.1 " + port + " 443\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] v2(byte[] src4, int port) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        o.write(0x21);          // v2, PROXY
        o.write(0x11);          // TCP over IPv4
        o.write(0);
        o.write(12 + 5);        // addresses + one TLV
        o.writeBytes(src4);
        o.writeBytes(new byte[] {127, 0, 0, 1});
        o.write(port >> 8);
        o.write(port);
        o.write(0x01);
        o.write(0xBB);
        o.writeBytes(new byte[] {0x04, 0x00, 0x02, 'h', '2'}); // a TLV the bridge skips
        return o.toByteArray();
    }

    @Test
    public void v1AndV2FromATrustedProxyGiveTheRealAddress() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(backend(echo), "proxy-protocol", "any", "trusted-proxies", "127.0.0.1");
        try (Socket s = SockWs.plain(port)) {
            String head = SockWs.exchange(s, v1("198.51.100.10", 51000), SockWs.upgrade("/v1"));
            assertTrue(head, head.startsWith("HTTP/1.1 101"));
            assertEquals(new InetSocketAddress("198.51.100.10", 51000), seen.get());
            assertEquals("through v1", SockWs.echo(s, "through v1"));
        }
        try (Socket s = SockWs.plain(port)) {
            String head = SockWs.exchange(s, v2(new byte[] {(byte) 203, 0, 113, 20}, 52000), SockWs.upgrade("/v2"));
            assertTrue(head, head.startsWith("HTTP/1.1 101"));
            assertEquals(new InetSocketAddress("203.0.113.20", 52000), seen.get());
            assertEquals("through v2", SockWs.echo(s, "through v2"));
        }
        // a trusted proxy must send the header: without it the connection is closed
        int before = echo.acceptedSettled(0);
        try (Socket s = SockWs.plain(port)) {
            assertEquals("", SockWs.exchange(s, SockWs.upgrade("/none")));
        }
        assertEquals(before, echo.accepted());
    }

    @Test
    public void versionRestriction() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(backend(echo), "proxy-protocol", "v2", "trusted-proxies", "127.0.0.0/8");
        try (Socket s = SockWs.plain(port)) {
            assertEquals("", SockWs.exchange(s, v1("198.51.100.10", 51000), SockWs.upgrade("/v1")));
        }
        try (Socket s = SockWs.plain(port)) {
            assertTrue(SockWs.exchange(s, v2(new byte[] {10, 1, 1, 1}, 1), SockWs.upgrade("/v2")).startsWith("HTTP/1.1 101"));
            assertEquals(new InetSocketAddress("10.1.1.1", 1), seen.get());
        }
    }

    @Test
    public void untrustedSourceMayNotSendAHeader() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        // only a documentation address is trusted: 127.0.0.1 (this test) is an ordinary client
        int port = bridge.listener(backend(echo), "proxy-protocol", "any", "trusted-proxies", "192.0.2.1");
        int before = echo.acceptedSettled(0);
        try (Socket s = SockWs.plain(port)) {
            assertEquals("", SockWs.exchange(s, v1("198.51.100.10", 51000), SockWs.upgrade("/spoof1")));
        }
        try (Socket s = SockWs.plain(port)) {
            assertEquals("", SockWs.exchange(s, v2(new byte[] {1, 2, 3, 4}, 5), SockWs.upgrade("/spoof2")));
        }
        assertEquals("no peer connection for a refused client", before, echo.accepted());
        try (Socket s = SockWs.plain(port)) {
            String head = SockWs.exchange(s, SockWs.upgrade("/direct"));
            assertTrue(head, head.startsWith("HTTP/1.1 101"));
            assertEquals("127.0.0.1", seen.get().getAddress().getHostAddress());
        }
    }

    @Test
    public void xForwardedForOnlyFromTrustedProxies() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int trusted = bridge.listener(backend(echo), "trusted-proxies", "127.0.0.1");
        try (Socket s = SockWs.plain(trusted)) {
            assertTrue(SockWs.exchange(s, SockWs.upgrade("/xff", "X-Forwarded-For: 6.6.6.6, 198.51.100.99"))
                    .startsWith("HTTP/1.1 101"));
            assertEquals("198.51.100.99", seen.get().getAddress().getHostAddress());
        }
        try (Socket s = SockWs.plain(trusted)) {
            assertTrue(SockWs.exchange(s, SockWs.upgrade("/fwd", "Forwarded: for=\"[2001:db8::5]:7000\""))
                    .startsWith("HTTP/1.1 101"));
            assertEquals(new InetSocketAddress("2001:db8::5", 7000), seen.get());
        }
        int untrusted = bridge.listener(backend(echo));
        try (Socket s = SockWs.plain(untrusted)) {
            assertTrue(SockWs.exchange(s, SockWs.upgrade("/xff", "X-Forwarded-For: 198.51.100.99"))
                    .startsWith("HTTP/1.1 101"));
            assertEquals("127.0.0.1", seen.get().getAddress().getHostAddress());
        }
    }
}
