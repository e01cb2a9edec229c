package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.SockWs;
import io.websocksy.itests.support.TcpPeer;

/**
 * SPEC 9 and RELIABILITY R9: {@code allowed-peers} on an IPv4, an IPv6 and a name target. A refused
 * route gets 403 and its peer never sees a connection.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PeerAllowListIT extends BridgeTestBase {
    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    private static String status(int port) throws IOException {
        try (Socket s = SockWs.plain(port)) {
            String head = SockWs.exchange(s, SockWs.upgrade("/p"));
            if (head.startsWith("HTTP/1.1 101")) {
                assertEquals("echo", SockWs.echo(s, "echo"));
            }
            return head.isEmpty() ? "closed" : head.substring(9, 12);
        }
    }

    /** An echo server on ::1 that counts connections. */
    private static final class V6Echo implements AutoCloseable {
        final ServerSocket server = new ServerSocket();
        final AtomicInteger accepted = new AtomicInteger();

        V6Echo() throws IOException {
            server.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.incrementAndGet();
                        Thread w = new Thread(() -> {
                            try (s) {
                                TcpPeer.copyBack(s);
                            } catch (IOException e) {
                                // gone
                            }
                        });
                        w.setDaemon(true);
                        w.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    public void r9_ipv4Target() throws Exception {
        TcpPeer allowed = bridge.track(TcpPeer.echo());
        TcpPeer other = bridge.track(TcpPeer.echo());
        String list = "127.0.0.1:" + allowed.port() + ", 10.0.0.0/8";
        assertEquals("101", status(bridge.listener(bridge.defaultBackend("tcp://127.0.0.1:" + allowed.port()),
                "allowed-peers", list)));
        assertEquals("403", status(bridge.listener(bridge.defaultBackend("tcp://127.0.0.1:" + other.port()),
                "allowed-peers", list)));
        // a mapped IPv6 spelling of the refused address is refused as well
        assertEquals("403", status(bridge.listener(bridge.defaultBackend("tcp://[::ffff:127.0.0.1]:" + other.port()),
                "allowed-peers", list)));
        assertEquals(0, other.accepted());
    }

    @Test
    public void r9_ipv6Target() throws Exception {
        try (V6Echo v6 = new V6Echo()) {
            assertEquals("101", status(bridge.listener(bridge.defaultBackend("tcp://[::1]:" + v6.port()),
                    "allowed-peers", "[::1]:" + v6.port())));
            assertEquals(1, Poll.settled(Duration.ofSeconds(20), "v6 accepts", v6.accepted::get, 1));
            assertEquals("101", status(bridge.listener(bridge.defaultBackend("tcp://[::1]:" + v6.port()),
                    "allowed-peers", "[::1/128]:" + (v6.port() - 1) + "-" + v6.port())));
            assertEquals("403", status(bridge.listener(bridge.defaultBackend("tcp://[::1]:" + v6.port()),
                    "allowed-peers", "[::1]:" + (v6.port() == 65535 ? 1 : v6.port() + 1) + ", 127.0.0.1")));
            assertEquals(2, Poll.settled(Duration.ofSeconds(20), "v6 accepts", v6.accepted::get, 2));
        }
    }

    @Test
    public void r9_nameTarget() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        // a name entry vouches for the name: localhost (from the hosts file, no DNS query) is allowed...
        assertEquals("101", status(bridge.listener(bridge.defaultBackend("tcp://localhost:" + echo.port()),
                "allowed-peers", "localhost:" + echo.port())));
        // ...an address entry is checked on what the name resolved to...
        assertEquals("101", status(bridge.listener(bridge.defaultBackend("tcp://localhost:" + echo.port()),
                "allowed-peers", "127.0.0.0/8:" + echo.port())));
        int before = echo.acceptedSettled(2); // the two 101s above: counted by the peer's thread after them
        // ...and a name that resolves into a range outside the list is refused
        assertEquals("403", status(bridge.listener(bridge.defaultBackend("tcp://localhost:" + echo.port()),
                "allowed-peers", "10.0.0.0/8, vnc.internal:" + echo.port())));
        // the literal address is not covered by a name entry
        assertEquals("403", status(bridge.listener(bridge.defaultBackend("tcp://127.0.0.1:" + echo.port()),
                "allowed-peers", "localhost:" + echo.port())));
        assertEquals(before, echo.accepted());
        assertTrue(before >= 2);
    }

    @Test
    public void r9_unknownNameIsAGatewayErrorNotAConnect() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        // the stub DNS answers NXDOMAIN: no address to check or connect
        String s = status(bridge.listener(bridge.defaultBackend("tcp://nowhere.invalid:" + echo.port()),
                "allowed-peers", "nowhere.invalid:" + echo.port()));
        assertEquals("502", s);
    }
}
