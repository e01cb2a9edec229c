package io.websocksy.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;

/** End-to-end tests of the bridge components without OSGi: real sockets, real clients. */
public class BridgeTest {
    private TestBridge bridge;
    private ServerSocket echo;

    @BeforeEach
    void setUp() throws Exception {
        echo = Peers.tcpEcho();
        bridge = new TestBridge(Map.of("ping", "0"));
        bridge.backend("main", req -> Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1:" + echo.getLocalPort()))
                .build()));
    }

    @AfterEach
    void tearDown() throws Exception {
        bridge.close();
        echo.close();
        LeakGuard.assertNoLeaks();
    }

    /** Collects messages received by a JDK WebSocket client. */
    public static final class Inbox implements WebSocket.Listener {
        public final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        public final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            messages.add(b);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }

    private WebSocket connect(Inbox inbox, String path) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + bridge.port() + path), inbox).get(10, TimeUnit.SECONDS);
    }

    @Test
    void textHelloThroughTcpComesBackAsText() throws Exception {
        Inbox inbox = new Inbox();
        WebSocket ws = connect(inbox, "/");
        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertEquals("hello", inbox.messages.poll(10, TimeUnit.SECONDS));
        assertEquals(1, bridge.connections.size());
        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertEquals(1000, inbox.closed.get(5, TimeUnit.SECONDS));
        waitFor(() -> bridge.connections.size() == 0);
    }

    @Test
    void unixStreamPeer() throws Exception {
        Path dir = Files.createTempDirectory("wsy");
        try (ServerSocketChannel ss = Peers.unixEcho(dir)) {
            bridge.backend("unix", req -> Optional.of(Route.to(PeerAddress.parse("unix://" + dir.resolve("echo.sock")))
                    .build()));
            TestBridge b2 = bridge;
            Inbox inbox = new Inbox();
            // route by a second backend: swap the live one
            bridge.backends.removeBackend(bridge.backends.lookup("main").ref);
            bridge.backend("main", req -> Optional.of(Route.to(PeerAddress.parse("unix://" + dir.resolve("echo.sock")))
                    .build()));
            WebSocket ws = connect(inbox, "/");
            ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
            assertEquals("hello", inbox.messages.poll(10, TimeUnit.SECONDS));
            ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
            inbox.closed.get(5, TimeUnit.SECONDS);
            assertNotNull(b2);
        }
    }

    @Test
    void clientClose1000IsEchoed() throws Exception {
        try (RawClient c = new RawClient(bridge.port())) {
            c.send(RawClient.upgrade("/"));
            String head = c.head();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
            c.frame(0x8, true, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'});
            RawClient.Frame f = c.readFrame();
            assertEquals(0x8, f.opcode);
            assertEquals(1000, f.closeCode());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void pipelinedFrameBehindHandshakeIsProcessed() throws Exception {
        try (RawClient c = new RawClient(bridge.port())) {
            ByteBuffer masked = ByteBuffer.allocate(11);
            masked.put((byte) 0x81).put((byte) 0x85).put(new byte[] {0, 0, 0, 0}).put("hello".getBytes(StandardCharsets.US_ASCII));
            c.out.write((RawClient.upgrade("/")).getBytes(StandardCharsets.ISO_8859_1));
            c.out.write(masked.array());
            c.out.flush();
            assertTrue(c.head().startsWith("HTTP/1.1 101 "));
            RawClient.Frame f = c.readFrame();
            assertEquals(0x1, f.opcode);
            assertEquals("hello", f.text());
        }
    }

    private String status(String request) throws Exception {
        try (RawClient c = new RawClient(bridge.port())) {
            c.send(request);
            String head = c.head();
            assertTrue(head.contains("Connection: close\r\n"), head);
            assertTrue(head.contains("Content-Length: "), head);
            assertTrue(c.closedByServer(), "server must close after an error answer");
            return head;
        }
    }

    @Test
    void handshakeFailuresGetTheirStatus() throws Exception {
        String v8 = status(RawClient.upgrade("/").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));
        assertTrue(v8.startsWith("HTTP/1.1 426 "), v8);
        assertTrue(v8.contains("Sec-WebSocket-Version: 13\r\n"), v8);
        assertTrue(status(RawClient.upgrade("/").replace("Sec-WebSocket-Key: " + RawClient.KEY + "\r\n", ""))
                .startsWith("HTTP/1.1 400 "));
        assertTrue(status(RawClient.upgrade("/").replace(RawClient.KEY, "eA==")).startsWith("HTTP/1.1 400 "));
        assertTrue(status(RawClient.upgrade("/").replace("Upgrade: websocket\r\n", "")).startsWith("HTTP/1.1 400 "));
        assertTrue(status(RawClient.upgrade("/").replace("Connection: Upgrade", "Connection: notupgraded"))
                .startsWith("HTTP/1.1 400 "));
        assertTrue(status(RawClient.upgrade("/").replace("HTTP/1.1", "HTTP/1.0")).startsWith("HTTP/1.1 400 "));
        String post = status(RawClient.upgrade("/").replace("GET", "POST"));
        assertTrue(post.startsWith("HTTP/1.1 405 ") && post.contains("Allow: GET\r\n"), post);
        assertTrue(status("GET /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 414 "));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            many.append("X-A").append(i).append(": x\r\n");
        }
        assertTrue(status(RawClient.upgrade("/", many.toString().trim().split("\r\n"))).startsWith("HTTP/1.1 431 "));
        assertTrue(status(RawClient.upgrade("/").replace("\r\n", "\n")).startsWith("HTTP/1.1 400 "));
    }

    @Test
    void routeFailuresGetTheirStatus() throws Exception {
        bridge.backends.removeBackend(bridge.backends.lookup("main").ref);
        assertTrue(status(RawClient.upgrade("/")).startsWith("HTTP/1.1 503 "), "no backend");
        bridge.backend("main", req -> {
            switch (req.endpoint()) {
                case "none": return Optional.empty();
                case "nofr": return Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1:1")).framer("nosuch").build());
                case "noport": return Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1")).build());
                default:
                    try {
                        return Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1:" + Peers.freePort())).build());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
            }
        });
        assertTrue(status(RawClient.upgrade("/none")).startsWith("HTTP/1.1 404 "));
        assertTrue(status(RawClient.upgrade("/nofr")).startsWith("HTTP/1.1 503 "));
        assertTrue(status(RawClient.upgrade("/noport")).startsWith("HTTP/1.1 502 "));
        assertTrue(status(RawClient.upgrade("/refused")).startsWith("HTTP/1.1 502 "));
    }

    private RawClient upgraded() throws Exception {
        RawClient c = new RawClient(bridge.port());
        c.send(RawClient.upgrade("/"));
        assertTrue(c.head().startsWith("HTTP/1.1 101 "));
        return c;
    }

    private void assertClosedWith(RawClient c, int code) throws Exception {
        RawClient.Frame f = c.readFrame();
        while (f != null && f.opcode != 0x8) {
            f = c.readFrame();
        }
        assertNotNull(f, "no close frame");
        assertEquals(code, f.closeCode());
        assertTrue(c.closedByServer());
    }

    @Test
    void handshakeSentOneBytePerSegmentSucceeds() throws Exception {
        try (RawClient c = new RawClient(bridge.port())) {
            c.socket.setTcpNoDelay(true);
            for (byte b : RawClient.upgrade("/").getBytes(StandardCharsets.ISO_8859_1)) {
                c.out.write(b);
                c.out.flush();
            }
            String head = c.head();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            c.frame(0x1, true, "hi".getBytes(StandardCharsets.UTF_8));
            assertEquals("hi", c.readFrame().text());
        }
    }

    @Test
    void unmaskedFrameCloses1002() throws Exception {
        try (RawClient c = upgraded()) {
            c.out.write(new byte[] {(byte) 0x81, 0x02, 'h', 'i'});
            c.out.flush();
            assertClosedWith(c, 1002);
        }
    }

    @Test
    void reservedBitsClose1002() throws Exception {
        try (RawClient c = upgraded()) {
            c.frame(0x40 | 0x1, true, "x".getBytes(StandardCharsets.US_ASCII));
            assertClosedWith(c, 1002);
        }
    }

    @Test
    void invalidUtf8TextCloses1007() throws Exception {
        try (RawClient c = upgraded()) {
            c.frame(0x1, true, new byte[] {(byte) 0xC0, (byte) 0xAF});
            assertClosedWith(c, 1007);
        }
    }

    @Test
    void oversizedFrameCloses1009FromTheHeader() throws Exception {
        try (RawClient c = upgraded()) {
            // declares 2^40 bytes; only the header is sent
            c.out.write(new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4});
            c.out.flush();
            assertClosedWith(c, 1009);
        }
    }

    @Test
    void pingIsAnsweredWithSamePayload() throws Exception {
        try (RawClient c = upgraded()) {
            c.frame(0x9, true, new byte[] {1, 2, 3});
            RawClient.Frame f = c.readFrame();
            assertEquals(0xA, f.opcode);
            assertEquals(3, f.payload.length);
            assertEquals(2, f.payload[1]);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
