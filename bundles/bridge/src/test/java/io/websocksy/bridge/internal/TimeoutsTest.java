package io.websocksy.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;

/** Connect timeout (504), DNS failure (502), handshake timeout and keep-alive. */
class TimeoutsTest {
    private TestBridge bridge;

    @AfterEach
    void tearDown() {
        if (bridge != null) {
            bridge.close();
        }
        LeakGuard.assertNoLeaks();
    }

    private static String statusOf(int port) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.send(RawClient.upgrade("/"));
            String head = c.head();
            assertTrue(c.closedByServer());
            return head;
        }
    }

    @Test
    void blackholedPeerGets504AfterConnectTimeout() throws Exception {
        // a listener whose accept queue is full drops further SYNs: the connect hangs (loopback only)
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                try {
                    s.connect(full.getLocalSocketAddress(), 200);
                    fillers.add(s);
                } catch (Exception e) {
                    s.close();
                    break; // queue is full now
                }
            }
            bridge = new TestBridge(Map.of("ping", "0", "connect-timeout", "1"));
            bridge.backend("main", req -> Optional.of(Route.to(
                    PeerAddress.parse("tcp://127.0.0.1:" + full.getLocalPort())).build()));
            long t0 = System.nanoTime();
            String head = statusOf(bridge.port());
            assertTrue(head.startsWith("HTTP/1.1 504 "), head);
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    @Test
    void unknownHostGets502() throws Exception {
        try (StubDns dns = new StubDns(0)) {
            bridge = new TestBridge(Map.of("ping", "0"), Map.of("dns-servers", dns.address()));
            bridge.backend("main", req -> Optional.of(Route.to(PeerAddress.parse("tcp://no-such-host.invalid:9")).build()));
            String head = statusOf(bridge.port());
            assertTrue(head.startsWith("HTTP/1.1 502 "), head);
        }
    }

    @Test
    void slowDnsGets504WithoutBlockingOthers() throws Exception {
        try (StubDns dns = new StubDns(4000)) {
            bridge = new TestBridge(Map.of("ping", "0", "connect-timeout", "1"), Map.of("dns-servers", dns.address(),
                    "worker-threads", "1"));
            bridge.backend("main", req -> Optional.of(Route.to(PeerAddress.parse(
                    req.endpoint().equals("slow") ? "tcp://slow.example.invalid:9" : "tcp://127.0.0.1:1")).build()));
            Thread slow = new Thread(() -> {
                try (RawClient c = new RawClient(bridge.port())) {
                    c.send(RawClient.upgrade("/slow"));
                    c.head();
                } catch (Exception e) {
                    // checked below
                }
            });
            slow.start();
            Thread.sleep(100);
            // with a single event loop, another client is still answered at once
            long t0 = System.nanoTime();
            assertTrue(statusOf(bridge.port()).startsWith("HTTP/1.1 502 "));
            // the stub answers after 4 s: a loop blocked by the look-up would answer after about that long, so a
            // bound well below it (and far above a loaded machine's scheduling noise) tells the two apart
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 2_500, "event loop blocked by DNS: the other client was answered after " + ms + " ms");
            slow.join(10_000);
        }
    }

    @Test
    void silentClientIsClosedAtTheHandshakeTimeout() throws Exception {
        bridge = new TestBridge(Map.of("ping", "0", "handshake-timeout", "1"));
        bridge.backend("main", req -> Optional.empty());
        try (RawClient c = new RawClient(bridge.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n");
            long t0 = System.nanoTime();
            assertTrue(c.closedByServer());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 3000, "closed after " + ms + " ms");
        }
    }

    @Test
    void unansweredPingClosesWith1001() throws Exception {
        try (ServerSocket echo = Peers.tcpEcho()) {
            bridge = new TestBridge(Map.of("ping", "1"));
            bridge.backend("main", req -> Optional.of(Route.to(
                    PeerAddress.parse("tcp://127.0.0.1:" + echo.getLocalPort())).build()));
            try (RawClient c = new RawClient(bridge.port())) {
                c.send(RawClient.upgrade("/"));
                assertTrue(c.head().startsWith("HTTP/1.1 101 "));
                RawClient.Frame ping = c.readFrame();
                assertEquals(0x9, ping.opcode);
                RawClient.Frame close = c.readFrame(); // we never answer
                assertEquals(0x8, close.opcode);
                assertEquals(1001, close.closeCode());
            }
            // metrics: counted as a ping timeout, a 1001 begun by the bridge
            BridgeTest.waitFor(() -> bridge.listener.counters().pingTimeouts.sum() == 1
                    && !bridge.connections.counters().snapshot().listeners().get(0).closes().isEmpty());
            assertEquals(java.util.List.of(new io.websocksy.api.admin.BridgeMetrics.Close("1001", "bridge", 1)),
                    bridge.connections.counters().snapshot().listeners().get(0).closes());
        }
    }

    @Test
    void stalledClientIsClosedAfterWriteTimeoutAndThePeerWithIt() throws Exception {
        java.util.concurrent.CountDownLatch peerClosed = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = ss.accept()) {
                    byte[] b = new byte[65536];
                    s.setSoTimeout(20_000);
                    // write until the bridge stops reading us, then wait for it to close us
                    Thread writer = new Thread(() -> {
                        try {
                            while (true) {
                                s.getOutputStream().write(b);
                            }
                        } catch (Exception e) {
                            // closed
                        }
                    });
                    writer.setDaemon(true);
                    writer.start();
                    while (s.getInputStream().read(b) >= 0) {
                        // drain
                    }
                    peerClosed.countDown();
                } catch (Exception e) {
                    peerClosed.countDown();
                }
            });
            t.setDaemon(true);
            t.start();
            bridge = new TestBridge(Map.of("ping", "0", "write-timeout", "1"));
            bridge.backend("main", req -> Optional.of(Route.to(
                    PeerAddress.parse("tcp://127.0.0.1:" + ss.getLocalPort())).framer("binary").build()));
            try (RawClient c = new RawClient(bridge.port())) {
                c.socket.setReceiveBufferSize(8192);
                c.send(RawClient.upgrade("/"));
                assertTrue(c.head().startsWith("HTTP/1.1 101 "));
                // never read: the bridge's writes to us stall
                assertTrue(peerClosed.await(15, java.util.concurrent.TimeUnit.SECONDS), "peer not closed");
                BridgeTest.waitFor(() -> bridge.connections.size() == 0);
                assertEquals(1, bridge.listener.counters().writeStalls.sum(), "counted as a write-stall close");
            }
        }
    }
}
