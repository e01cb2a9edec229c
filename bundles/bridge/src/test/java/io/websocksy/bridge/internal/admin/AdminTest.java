package io.websocksy.bridge.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.websocksy.api.admin.ConnectionInfo;
import io.websocksy.api.admin.DryRunRequest;
import io.websocksy.api.admin.DryRunResult;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.api.backend.Route;
import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.bridge.internal.BridgeTest;
import io.websocksy.bridge.internal.LeakGuard;
import io.websocksy.bridge.internal.Peers;
import io.websocksy.bridge.internal.RawClient;
import io.websocksy.bridge.internal.TestBridge;

/** The BridgeAdmin service on hand-wired components with real sockets and clients. */
class AdminTest {
    private TestBridge bridge;
    private ServerSocket echo;
    private Admin admin;
    private final AtomicInteger strictOpened = new AtomicInteger();
    private final AtomicInteger strictClosed = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        echo = Peers.tcpEcho();
        bridge = new TestBridge(Map.of("ping", "0"));
        String peer = "tcp://127.0.0.1:" + echo.getLocalPort();
        bridge.backend("main", req -> {
            switch (req.endpoint()) {
                case "none":
                    return Optional.empty();
                case "proto":
                    return Optional.of(Route.to(PeerAddress.parse(peer)).subprotocol("MQTT").build());
                case "nofr":
                    return Optional.of(Route.to(PeerAddress.parse(peer)).framer("nope").build());
                case "strict":
                    return Optional.of(Route.to(PeerAddress.parse(peer)).framer("strict")
                            .framerConfig(req.query("cfg").orElse("")).build());
                case "noport":
                    return Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1")).build());
                default:
                    return Optional.of(Route.to(PeerAddress.parse(peer)).build());
            }
        });
        bridge.framer("strict", cfg -> {
            if (!cfg.isEmpty()) {
                throw new FramerConfigException("strict takes no configuration, got '" + cfg + "'");
            }
            strictOpened.incrementAndGet();
            return new FramingState() {
                @Override
                public Decision next(java.nio.ByteBuffer buf) {
                    return buf.hasRemaining() ? Decision.binary(buf.remaining()) : Decision.needMore();
                }

                @Override
                public void close() {
                    strictClosed.incrementAndGet();
                }
            };
        });
        admin = new Admin();
        set(admin, "runtime", bridge.transport);
        set(admin, "connections", bridge.connections);
        set(admin, "framers", bridge.framers);
        set(admin, "backends", bridge.backends);
        admin.addListener(bridge.listener);
    }

    @AfterEach
    void tearDown() throws Exception {
        bridge.close();
        echo.close();
        LeakGuard.assertNoLeaks();
    }

    private WebSocket connect(BridgeTest.Inbox inbox, String path) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + bridge.port() + path), inbox).get(10, TimeUnit.SECONDS);
    }

    private static void echoOnce(WebSocket ws, BridgeTest.Inbox inbox, String text) throws Exception {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
        assertEquals(text, inbox.messages.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void listenerAndConnectionSnapshotsCountTrafficExactly() throws Exception {
        BridgeTest.Inbox a = new BridgeTest.Inbox();
        BridgeTest.Inbox b = new BridgeTest.Inbox();
        WebSocket wa = connect(a, "/a");
        WebSocket wb = connect(b, "/b");
        echoOnce(wa, a, "hello");
        echoOnce(wa, a, "ab\u00e9"); // 4 bytes in UTF-8
        echoOnce(wb, b, "x");
        try (Socket junk = new Socket("127.0.0.1", bridge.port())) {
            junk.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            junk.getInputStream().readAllBytes(); // 400 missing Upgrade, then closed
        }
        waitFor(() -> admin.listeners().get(0).rejected() == 1);

        ListenerInfo l = admin.listeners().get(0);
        assertEquals("test", l.name());
        assertEquals("127.0.0.1:" + bridge.port(), l.address());
        assertEquals("main", l.backend());
        assertTrue(l.backendBound());
        assertFalse(l.tls());
        assertEquals(ListenerInfo.State.LISTENING, l.state());
        assertEquals(2, l.open());
        assertEquals(3, l.accepted());
        assertEquals(2, l.upgraded());
        assertEquals(1, l.rejected());

        List<ConnectionInfo> cs = admin.connections();
        assertEquals(2, cs.size());
        ConnectionInfo ca = cs.get(0);
        assertEquals("/a", ca.path());
        assertEquals("test", ca.listener());
        assertEquals("tcp://127.0.0.1:" + echo.getLocalPort(), ca.route().peer().toString());
        assertEquals("auto", ca.route().framer());
        assertTrue(ca.subprotocol().isEmpty());
        assertEquals(9, ca.bytesUp());
        assertEquals(2, ca.messagesUp());
        assertEquals(9, ca.bytesDown());
        assertEquals(2, ca.messagesDown());
        assertTrue(ca.idle().compareTo(ca.age()) <= 0);
        ConnectionInfo cb = cs.get(1);
        assertEquals("/b", cb.path());
        assertEquals(1, cb.bytesUp());
        assertEquals(1, cb.messagesDown());
        assertEquals(cb.id(), admin.connection(cb.id()).orElseThrow().id());

        // close exactly one, with the given code; the other keeps echoing
        assertThrows(IllegalArgumentException.class, () -> admin.close(ca.id(), 1006, "x"));
        assertThrows(IllegalArgumentException.class, () -> admin.close(ca.id(), 1000, "r".repeat(124)));
        assertFalse(admin.close(999_999, 1000, "x"));
        assertTrue(admin.close(ca.id(), 1001, "maintenance"));
        assertEquals(1001, a.closed.get(10, TimeUnit.SECONDS));
        echoOnce(wb, b, "still here");
        waitFor(() -> admin.connections().size() == 1);
        assertEquals(cb.id(), admin.connections().get(0).id());
        wb.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        b.closed.get(10, TimeUnit.SECONDS);
        wa.abort();
    }

    @Test
    void drainRefusesNewClientsKeepsOldOnesThenResumes() throws Exception {
        BridgeTest.Inbox a = new BridgeTest.Inbox();
        WebSocket wa = connect(a, "/");
        int port = bridge.port();
        ListenerInfo d = admin.drain("test", Duration.ofMinutes(10));
        assertEquals(ListenerInfo.State.DRAINING, d.state());
        assertThrows(IllegalStateException.class, () -> admin.drain("test", Duration.ofSeconds(1)));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        echoOnce(wa, a, "old one works");

        ListenerInfo r = admin.resume("test");
        assertEquals(ListenerInfo.State.LISTENING, r.state());
        assertThrows(IllegalStateException.class, () -> admin.resume("test"));
        BridgeTest.Inbox c = new BridgeTest.Inbox();
        WebSocket wc = connect(c, "/");
        echoOnce(wc, c, "new one works");

        admin.drain("test", Duration.ZERO);
        assertEquals(1001, a.closed.get(10, TimeUnit.SECONDS));
        assertEquals(1001, c.closed.get(10, TimeUnit.SECONDS));
        waitFor(() -> admin.listeners().get(0).state() == ListenerInfo.State.DRAINED);
        assertThrows(NoSuchElementException.class, () -> admin.drain("nope", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> admin.drain("test", Duration.ofSeconds(-1)));
        wa.abort();
        wc.abort();
    }

    private DryRunResult dry(DryRunRequest r) throws Exception {
        return admin.dryRun(r).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int realStatus(String target, String... headers) throws Exception {
        try (RawClient c = new RawClient(bridge.port())) {
            c.send(RawClient.upgrade(target, headers));
            String head = c.head();
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    @Test
    void dryRunGivesWhatARealHandshakeGets() throws Exception {
        DryRunResult ok = dry(DryRunRequest.forTarget("/x").build());
        assertEquals(101, ok.status());
        assertEquals("test", ok.listener().orElseThrow());
        assertEquals("main", ok.backend().orElseThrow());
        assertEquals("tcp://127.0.0.1:" + echo.getLocalPort(), ok.route().orElseThrow().peer().toString());
        assertEquals(101, realStatus("/x"));

        DryRunResult proto = dry(DryRunRequest.forTarget("/proto").listener("test").subprotocol("chat")
                .subprotocol("mqtt").build());
        assertEquals(101, proto.status());
        assertEquals("mqtt", proto.route().orElseThrow().subprotocol().orElseThrow()); // spelled as offered

        DryRunResult unoffered = dry(DryRunRequest.forTarget("/proto").build());
        assertEquals(500, unoffered.status());
        assertTrue(unoffered.cause().contains("did not offer"), unoffered.cause());
        assertEquals(500, realStatus("/proto"));

        DryRunResult none = dry(DryRunRequest.forTarget("/none").build());
        assertEquals(404, none.status());
        assertEquals("backend 'main' has no route for /none", none.cause());
        assertEquals(404, realStatus("/none"));

        DryRunResult nofr = dry(DryRunRequest.forTarget("/nofr").build());
        assertEquals(503, nofr.status());
        assertEquals("framer 'nope' is not installed", nofr.cause());
        assertEquals("nope", nofr.route().orElseThrow().framer());
        assertEquals(503, realStatus("/nofr"));

        DryRunResult badCfg = dry(DryRunRequest.forTarget("/strict?cfg=x").build());
        assertEquals(500, badCfg.status());
        assertEquals("framer 'strict' rejects config 'x': strict takes no configuration, got 'x'", badCfg.cause());
        assertEquals(500, realStatus("/strict?cfg=x"));

        DryRunResult strict = dry(DryRunRequest.forTarget("/strict").build());
        assertEquals(101, strict.status());
        assertEquals(1, strictOpened.get());
        assertEquals(1, strictClosed.get(), "the framing state opened for the check is closed");

        assertEquals(502, dry(DryRunRequest.forTarget("/noport").build()).status());
        assertEquals(502, realStatus("/noport"));

        DryRunResult version = dry(DryRunRequest.forTarget("/x").header("Sec-WebSocket-Version", "8").build());
        assertEquals(426, version.status());
        assertEquals(426, realStatus("/x", "Sec-WebSocket-Version: 8"));

        DryRunResult byBackend = dry(DryRunRequest.forTarget("/x").backend("main").build());
        assertEquals(101, byBackend.status());
        assertTrue(byBackend.listener().isEmpty());
        DryRunResult noBackend = dry(DryRunRequest.forTarget("/x").backend("other").build());
        assertEquals(503, noBackend.status());
        assertEquals("no backend named 'other' is running", noBackend.cause());
        assertThrows(NoSuchElementException.class, () -> admin.dryRun(DryRunRequest.forTarget("/").listener("zz")
                .build()));
    }

    private static void waitFor(BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}
