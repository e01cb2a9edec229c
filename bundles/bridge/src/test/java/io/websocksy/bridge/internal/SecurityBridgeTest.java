package io.websocksy.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.bridge.internal.relay.AccessLog;
import io.websocksy.bridge.internal.security.ClientAddress;
import io.websocksy.bridge.internal.security.ConnectionLimits;
import io.websocksy.testing.TestPki;

/** End to end through a hand-wired listener: TLS, client certificates, reload, limits, PROXY, XFF, allow-list. */
class SecurityBridgeTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Leaf server;
    static TestPki.Leaf server2;
    static TestPki.Leaf client;

    private ServerSocket echo;
    private TestBridge bridge;
    private final AtomicReference<String> seenRemote = new AtomicReference<>();
    /** Where requests for /forbidden are routed. */
    private volatile int forbiddenPort;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki(dir, "Bridge Test CA");
        server = pki.leaf("server", "EC", false);
        server2 = pki.leaf("server2", "RSA", false);
        client = pki.leaf("client", "EC", true);
    }

    @BeforeEach
    void setUp() throws Exception {
        echo = Peers.tcpEcho();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        echo.close();
        LeakGuard.assertNoLeaks();
    }

    private void start(Map<String, Object> props) throws Exception {
        Map<String, Object> p = new HashMap<>(props);
        p.put("ping", "0");
        bridge = new TestBridge(p);
        bridge.backend("main", req -> {
            seenRemote.set(ClientAddress.format(req.remoteAddress()));
            int port = req.path().equals("/forbidden") ? forbiddenPort : echo.getLocalPort();
            return Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1:" + port)).build());
        });
    }

    // ---------------------------------------------------------------- a tiny client over any socket

    static String upgrade(String... headers) {
        StringBuilder sb = new StringBuilder("GET /x HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends a masked text frame and reads the echoed text frame. */
    static String echo(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        f.write(0x80 | p.length);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask, 0, 4);
        for (int i = 0; i < p.length; i++) {
            f.write(p[i] ^ mask[i & 3]);
        }
        out.write(f.toByteArray());
        out.flush();
        InputStream in = s.getInputStream();
        int b0 = in.read();
        int n = in.read() & 0x7f;
        assertEquals(0x81, b0);
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private Socket plain() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), bridge.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private SSLSocket tls(TestPki.Leaf clientCert) throws Exception {
        SSLSocket s = (SSLSocket) pki.clientContext(clientCert).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), bridge.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return head(s.getInputStream());
    }

    // ---------------------------------------------------------------- tests

    @Test
    void wssEchoAndReloadedCertificateForNewConnections() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        TestPki.replace(server.chainPem, live.resolve("cert.pem").toFile());
        TestPki.replace(server.keyPem, live.resolve("key.pem").toFile());
        start(Map.of("tls-certificate", live.resolve("cert.pem").toString(), "tls-key",
                live.resolve("key.pem").toString(), "tls-reload-interval", "1", "tls-provider", "jdk"));
        try (SSLSocket s = tls(null)) {
            assertTrue(exchange(s, upgrade()).startsWith("HTTP/1.1 101"));
            assertEquals("over tls", echo(s, "over tls"));
            assertEquals("CN=server", ((X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName());
            // replace key first, then certificate (atomic renames); the open connection continues
            TestPki.replace(server2.keyPem, live.resolve("key.pem").toFile());
            TestPki.replace(server2.chainPem, live.resolve("cert.pem").toFile());
            String now = null;
            for (int i = 0; i < 100 && !"CN=server2".equals(now); i++) {
                Thread.sleep(200);
                try (SSLSocket n = tls(null)) {
                    n.startHandshake();
                    now = ((X509Certificate) n.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                }
            }
            assertEquals("CN=server2", now);
            assertEquals("still here", echo(s, "still here"));
        }
    }

    @Test
    void clientCertificateRequiredAndRefused() throws Exception {
        start(Map.of("tls-certificate", server.chainPem.toString(), "tls-key", server.keyPem.toString(),
                "tls-client-ca", pki.caPem.toString()));
        try (SSLSocket s = tls(client)) {
            assertTrue(exchange(s, upgrade()).startsWith("HTTP/1.1 101"));
            assertEquals("with cert", echo(s, "with cert"));
        }
        try (SSLSocket s = tls(null)) {
            // TLS 1.3: the refusal may surface on the handshake or on the first read
            assertThrows(IOException.class, () -> {
                s.startHandshake();
                s.getOutputStream().write(upgrade().getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                if (s.getInputStream().read() < 0) {
                    throw new SSLException("closed");
                }
            });
        }
        try (Socket p = plain()) {
            String h = exchange(p, upgrade());
            assertFalse(h.startsWith("HTTP/"), "plain HTTP on a TLS port is closed without an HTTP answer: " + h);
        }
        // metrics: the refused client certificate and the plain-HTTP attempt are TLS handshake failures
        BridgeTest.waitFor(() -> bridge.listener.counters().tlsFailures.sum() >= 2);
    }

    @Test
    void perIpLimitAnswers503WithRetryAfterAndIsReleased() throws Exception {
        start(Map.of("max-connections-per-ip", "2", "retry-after", "7"));
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Socket s = plain();
            assertTrue(exchange(s, upgrade()).startsWith("HTTP/1.1 101"));
            open.add(s);
        }
        try (Socket third = plain()) {
            String h = exchange(third, upgrade());
            assertTrue(h.startsWith("HTTP/1.1 503"), h);
            assertTrue(h.contains("Retry-After: 7\r\n"), h);
        }
        open.get(0).setSoLinger(true, 0);
        open.get(0).close(); // abrupt RST
        ConnectionLimits limits = bridge.listener.security().limits();
        for (int i = 0; i < 100 && limits.total() != 1; i++) {
            Thread.sleep(50);
        }
        assertEquals(1, limits.total());
        try (Socket again = plain()) {
            assertTrue(exchange(again, upgrade()).startsWith("HTTP/1.1 101"));
        }
        open.get(1).close();
        for (int i = 0; i < 100 && limits.total() != 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, limits.total());
    }

    @Test
    void proxyV1FromTrustedSetsTheAddressBackendsAndLimitsSee() throws Exception {
        start(Map.of("proxy-protocol", "any", "trusted-proxies", "127.0.0.0/8,::1", "max-connections-per-ip", "1"));
        try (Socket s = plain(); Socket t = plain()) {
            String h = exchange(s, "PROXY TCP4 198.51.100.7 127.0.0.1 40000 8001\r\n" + upgrade());
            assertTrue(h.startsWith("HTTP/1.1 101"), h);
            assertEquals("198.51.100.7:40000", seenRemote.get());
            // another proxied client from a different address is admitted; the same one is not
            assertTrue(exchange(t, "PROXY TCP4 198.51.100.8 127.0.0.1 40001 8001\r\n" + upgrade()).startsWith("HTTP/1.1 101"));
            try (Socket u = plain()) {
                assertTrue(exchange(u, "PROXY TCP4 198.51.100.7 127.0.0.1 40002 8001\r\n" + upgrade())
                        .startsWith("HTTP/1.1 503"));
            }
        }
        try (Socket s = plain()) {
            assertEquals("", exchange(s, upgrade()), "a trusted proxy must send the header");
        }
    }

    @Test
    void xForwardedForFromTrustedProxy() throws Exception {
        start(Map.of("trusted-proxies", "127.0.0.1, ::1"));
        try (Socket s = plain()) {
            assertTrue(exchange(s, upgrade("X-Forwarded-For: 6.6.6.6, 203.0.113.50")).startsWith("HTTP/1.1 101"));
            assertEquals("203.0.113.50:0", seenRemote.get());
        }
    }

    @Test
    void accessLogLineAtCloseWithTheRealAddress() throws Exception {
        start(Map.of("access-log", "true", "access-log-format", "json", "trusted-proxies", "127.0.0.1"));
        java.io.PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            try (Socket s = plain()) {
                assertTrue(exchange(s, upgrade("X-Forwarded-For: 192.0.2.44")).startsWith("HTTP/1.1 101"));
                assertEquals("logged", echo(s, "logged"));
            }
            String line = null;
            for (int i = 0; i < 100 && line == null; i++) {
                Thread.sleep(50);
                for (String l : captured.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (l.contains(AccessLog.LOGGER) && l.contains("\"close_code\"")) {
                        line = l;
                    }
                }
            }
            assertTrue(line != null, "no access log line in: " + captured);
            assertTrue(line.contains("\"client\":\"192.0.2.44:0\""), line);
            assertTrue(line.contains("\"path\":\"/x\"") && line.contains("\"bytes_up\":6,\"messages_up\":1"), line);
            assertFalse(captured.toString(StandardCharsets.UTF_8).contains("io.websocksy.connection - #1 closed"),
                    "the access line replaces the close line");
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void allowedPeersRefusesWithoutContactingThePeer() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket forbidden = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        forbidden.accept().close();
                        accepted.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            forbiddenPort = forbidden.getLocalPort();
            start(Map.of("allowed-peers", "127.0.0.1:" + echo.getLocalPort() + ", [::1]:1-1024"));
            try (Socket s = plain()) {
                assertTrue(exchange(s, upgrade()).startsWith("HTTP/1.1 101"));
                assertEquals("allowed", echo(s, "allowed"));
            }
            try (Socket s = plain()) {
                String h = exchange(s, upgrade().replace("/x", "/forbidden"));
                assertTrue(h.startsWith("HTTP/1.1 403"), h);
            }
            Thread.sleep(200);
            assertEquals(0, accepted.get());
            assertFalse(bridge.listener.security().limits().total() > 0);
        }
    }
}
