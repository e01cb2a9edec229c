package io.websocksy.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.websocksy.api.admin.BridgeMetrics;
import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.bridge.internal.relay.BridgeCounters;
import io.websocksy.bridge.internal.relay.DurationHistogram;

/** The counters behind BridgeAdmin.metrics(), moved by real clients through a real listener. */
class MetricsTest {
    private TestBridge bridge;
    private ServerSocket echo;

    @BeforeEach
    void setUp() throws Exception {
        echo = Peers.tcpEcho();
        bridge = new TestBridge(Map.of("ping", "0"));
        bridge.backend("main", req -> req.path().startsWith("/none") ? Optional.empty()
                : Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1:" + echo.getLocalPort())).build()));
    }

    @AfterEach
    void tearDown() throws Exception {
        bridge.close();
        echo.close();
        LeakGuard.assertNoLeaks();
    }

    private BridgeMetrics.Listener test() {
        BridgeMetrics m = bridge.connections.counters().snapshot();
        return m.listeners().stream().filter(l -> l.name().equals("test")).findFirst().orElseThrow();
    }

    @Test
    void countersMoveWithAConnection() throws Exception {
        BridgeMetrics.Listener before = test();
        assertEquals(0, before.open());
        assertEquals(0, before.upgraded());

        BridgeTest.Inbox inbox = new BridgeTest.Inbox();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + bridge.port() + "/"), inbox).get(10, TimeUnit.SECONDS);
        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertEquals("hello", inbox.messages.poll(10, TimeUnit.SECONDS));
        BridgeTest.waitFor(() -> test().open() == 1 && test().bytesToClient() == 5);
        BridgeMetrics.Listener live = test();
        assertEquals(1, live.accepted());
        assertEquals(1, live.upgraded());
        assertEquals(5, live.bytesToPeer());
        assertEquals(1, live.messagesToPeer());
        assertEquals(1, live.messagesToClient());
        assertEquals(1, live.handshake().count());
        assertEquals(1, live.routeLookup().count());
        assertEquals(1, live.peerConnect().count());
        assertTrue(live.handshake().sumSeconds() > 0);

        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertEquals(1000, inbox.closed.get(5, TimeUnit.SECONDS));
        BridgeTest.waitFor(() -> test().open() == 0 && !test().closes().isEmpty());
        BridgeMetrics.Listener after = test();
        // totals of a closed connection are kept, never lost with it
        assertEquals(5, after.bytesToPeer());
        assertEquals(5, after.bytesToClient());
        assertEquals(java.util.List.of(new BridgeMetrics.Close("1000", "client", 1)), after.closes());

        BridgeMetrics m = bridge.connections.counters().snapshot();
        BridgeMetrics.Backend b = m.backends().get(0);
        assertEquals("main", b.name());
        assertEquals(1, b.lookups());
        BridgeMetrics.Framer f = m.framers().get(0);
        assertEquals("auto", f.name());
        assertEquals(1, f.messagesToClient());
        assertEquals(1, f.messagesToPeer());
    }

    @Test
    void rejectionsAndNotFoundAreCounted() throws Exception {
        try (RawClient c = new RawClient(bridge.port())) {
            c.send(RawClient.upgrade("/none"));
            assertTrue(c.head().startsWith("HTTP/1.1 404 "));
        }
        try (RawClient c = new RawClient(bridge.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
            String head = c.head();
            assertTrue(head.startsWith("HTTP/1.1 400 "), head);
        }
        BridgeTest.waitFor(() -> test().rejected() == 2);
        BridgeMetrics.Listener l = test();
        assertEquals(Map.of(400, 1L, 404, 1L), l.rejectedByStatus());
        assertEquals(2, l.accepted());
        assertEquals(0, l.upgraded());
        assertEquals(2, l.handshake().count());
        BridgeMetrics.Backend b = bridge.connections.counters().snapshot().backends().get(0);
        assertEquals(1, b.lookups());
        assertEquals(1, b.notFound());
        assertEquals(0, b.errors());
    }

    @Test
    void histogramBucketsAreCumulative() {
        DurationHistogram h = new DurationHistogram();
        h.observe(50_000); // 50 µs: first bucket (<= 100 µs)
        h.observe(3_000_000); // 3 ms: <= 5 ms
        h.observe(60_000_000_000L); // 60 s: only +Inf
        BridgeMetrics.Histogram s = h.snapshot();
        assertEquals(3, s.count());
        assertEquals(1L, s.cumulativeCounts().get(0));
        int fiveMs = BridgeMetrics.DURATION_BUCKETS.indexOf(0.005);
        assertEquals(1L, s.cumulativeCounts().get(fiveMs - 1));
        assertEquals(2L, s.cumulativeCounts().get(fiveMs));
        assertEquals(2L, s.cumulativeCounts().get(s.cumulativeCounts().size() - 1));
        assertEquals(60.00305, s.sumSeconds(), 1e-9);
    }

    @Test
    void closeCodeLabelsAreBounded() {
        assertEquals("1000", BridgeCounters.codeLabel(1000));
        assertEquals("1015", BridgeCounters.codeLabel(1015));
        assertEquals("3xxx", BridgeCounters.codeLabel(3123));
        assertEquals("4xxx", BridgeCounters.codeLabel(4999));
        assertEquals("other", BridgeCounters.codeLabel(2000));
    }
}
