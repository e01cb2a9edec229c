package io.websocksy.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.testing.TestPki;

/** Static files on the listener ({@code web}), over real sockets, plain and TLS, beside bridged upgrades. */
class StaticFilesTest {
    @TempDir
    static Path tmp;
    static Path root;
    static byte[] big;
    static TestPki pki;
    static TestPki.Leaf server;

    private ServerSocket echo;
    private TestBridge bridge;

    @BeforeAll
    static void tree() throws Exception {
        root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.writeString(root.resolve("index.html"), "<p>index</p>\n");
        Files.createDirectories(root.resolve("app"));
        Files.writeString(root.resolve("app/ui.js"), "export const x = 1;\n");
        Files.createDirectories(root.resolve("list"));
        Files.writeString(root.resolve("list/<a>.txt"), "x");
        Files.createSymbolicLink(root.resolve("out-link"), tmp.resolve("secret.txt"));
        big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.wasm"), big);
        pki = new TestPki(Files.createDirectories(tmp.resolve("pki")), "Static Test CA");
        server = pki.leaf("server", "EC", false);
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

    private void start(Map<String, Object> extra) throws Exception {
        Map<String, Object> p = new HashMap<>(extra);
        p.put("ping", "0");
        bridge = new TestBridge(p);
        bridge.backend("main", req -> Optional.of(Route.to(PeerAddress.parse("tcp://127.0.0.1:" + echo.getLocalPort()))
                .build()));
    }

    private Socket plain() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), bridge.port());
        s.setSoTimeout(15_000);
        return s;
    }

    /** A response: status line, headers (lower-case names) and body. */
    static final class Response {
        final int status;
        final Map<String, String> headers = new HashMap<>();
        byte[] body = new byte[0];

        Response(String head) {
            String[] lines = head.split("\r\n");
            status = Integer.parseInt(lines[0].split(" ")[1]);
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
        }

        String header(String name) {
            return headers.get(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static Response exchange(Socket s, String request, boolean headRequest) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read(s.getInputStream(), headRequest);
    }

    static Response read(InputStream in, boolean headRequest) throws IOException {
        String head = SecurityBridgeTest.head(in);
        assertFalse(head.isEmpty(), "no response");
        Response r = new Response(head);
        String len = r.header("content-length");
        if (!headRequest && len != null && r.status != 304) {
            r.body = in.readNBytes(Integer.parseInt(len));
        }
        return r;
    }

    static String get(String path, String... headers) {
        return request("GET", path, headers);
    }

    static String request(String method, String path, String... headers) {
        StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    static boolean closedByServer(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    void filesConditionalHeadAndThenAnUpgradeOnOneConnection() throws Exception {
        start(Map.of("web", root.toString()));
        try (Socket s = plain()) {
            Response r = exchange(s, get("/"), false);
            assertEquals(200, r.status);
            assertEquals("text/html; charset=utf-8", r.header("content-type"));
            assertEquals("<p>index</p>\n", r.text());
            assertEquals("13", r.header("content-length"));
            assertEquals("no-cache", r.header("cache-control"));
            assertEquals("nosniff", r.header("x-content-type-options"));
            String etag = r.header("etag");
            String lastModified = r.header("last-modified");
            assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
            assertTrue(lastModified.endsWith(" GMT"), lastModified);

            Response js = exchange(s, get("/app/ui.js?autoconnect=true"), false);
            assertEquals(200, js.status);
            assertEquals("text/javascript; charset=utf-8", js.header("content-type"));
            assertEquals("export const x = 1;\n", js.text());

            Response nm = exchange(s, get("/index.html", "If-None-Match: " + etag), false);
            assertEquals(304, nm.status);
            assertEquals(etag, nm.header("etag"));
            assertNull(nm.header("content-length"));
            Response ims = exchange(s, get("/index.html", "If-Modified-Since: " + lastModified), false);
            assertEquals(304, ims.status);
            Response changed = exchange(s, get("/index.html", "If-None-Match: \"other\""), false);
            assertEquals(200, changed.status);

            Response head = exchange(s, request("HEAD", "/index.html"), true);
            assertEquals(200, head.status);
            assertEquals("13", head.header("content-length"));
            assertEquals(etag, head.header("etag"));

            Response redirect = exchange(s, get("/app?x=1"), false);
            assertEquals(301, redirect.status);
            assertEquals("/app/?x=1", redirect.header("location"));

            // the same connection now upgrades and is bridged
            String up = exchange(s, RawClient.upgrade("/ws"), true).status + "";
            assertEquals("101", up);
            assertEquals("hello", SecurityBridgeTest.echo(s, "hello"));
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        start(Map.of("web", root.toString()));
        try (Socket s = plain()) {
            s.getOutputStream().write((get("/index.html") + request("HEAD", "/app/ui.js") + get("/app/ui.js")
                    + RawClient.upgrade("/ws")).getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertEquals("<p>index</p>\n", read(in, false).text());
            Response h = read(in, true);
            assertEquals(200, h.status);
            assertEquals(0, h.body.length);
            assertEquals("export const x = 1;\n", read(in, false).text());
            assertEquals(101, read(in, true).status);
            assertEquals("pipelined", SecurityBridgeTest.echo(s, "pipelined"));
        }
    }

    @Test
    void traversalOverTheWireIs404AndNeverTheFile() throws Exception {
        start(Map.of("web", root.toString()));
        for (String t : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..\\secret.txt",
            "/..%5csecret.txt", "/index.html%00", "/out-link", "//secret.txt", "/app/%2e%2e/%2e%2e/secret.txt",
            "/list/", "/nothing"}) {
            try (Socket s = plain()) {
                Response r = exchange(s, get(t), false);
                assertEquals(404, r.status, t);
                assertFalse(r.text().contains("secret"), t);
                assertTrue(closedByServer(s), t);
            }
        }
    }

    @Test
    void listingWhenEnabledEscapesNames() throws Exception {
        start(Map.of("web", root.toString(), "web-listing", "true", "web-cache-control", "max-age=60"));
        try (Socket s = plain()) {
            Response r = exchange(s, get("/list/"), false);
            assertEquals(200, r.status);
            assertTrue(r.text().contains("<a href=\"%3Ca%3E.txt\">&lt;a&gt;.txt</a>"), r.text());
            Response f = exchange(s, get("/index.html"), false);
            assertEquals("max-age=60", f.header("cache-control"));
        }
    }

    @Test
    void otherRequestsKeepTheirStrictAnswers() throws Exception {
        start(Map.of("web", root.toString()));
        try (Socket s = plain()) {
            assertEquals(405, exchange(s, request("POST", "/index.html", "Content-Length: 0"), false).status);
        }
        try (Socket s = plain()) {
            assertEquals(400, exchange(s, get("/index.html", "Content-Length: 3"), false).status);
        }
        try (Socket s = plain()) {
            assertEquals(400, exchange(s, "GET /index.html HTTP/1.1\r\n\r\n", false).status, "no Host");
        }
        try (Socket s = plain()) {
            assertEquals(400, exchange(s, "GET http://localhost/index.html HTTP/1.1\r\nHost: x\r\n\r\n", false).status);
        }
        try (Socket s = plain()) { // a bad second request on a keep-alive connection
            assertEquals(200, exchange(s, get("/index.html"), false).status);
            assertEquals(405, exchange(s, request("DELETE", "/index.html"), false).status);
            assertTrue(closedByServer(s));
        }
    }

    @Test
    void withoutWebAPlainGetIsStill400() throws Exception {
        start(Map.of());
        try (Socket s = plain()) {
            assertEquals(400, exchange(s, get("/index.html"), false).status);
        }
    }

    @Test
    void http10AndConnectionCloseClose() throws Exception {
        start(Map.of("web", root.toString()));
        try (Socket s = plain()) {
            Response r = exchange(s, "GET /index.html HTTP/1.0\r\n\r\n", false);
            assertEquals(200, r.status);
            assertEquals("close", r.header("connection"));
            assertTrue(closedByServer(s));
        }
        try (Socket s = plain()) {
            exchange(s, get("/index.html", "Connection: close"), false);
            assertTrue(closedByServer(s));
        }
    }

    @Test
    void idleKeepAliveIsBoundedByTheHandshakeTimeout() throws Exception {
        start(Map.of("web", root.toString(), "handshake-timeout", "1"));
        try (Socket s = plain()) {
            assertEquals(200, exchange(s, get("/index.html"), false).status);
            long t0 = System.nanoTime();
            assertTrue(closedByServer(s), "closed after the idle wait");
            assertTrue(System.nanoTime() - t0 >= 500_000_000L, "not before the timeout");
        }
    }

    @Test
    void bigFilePlainIsServedWhole() throws Exception {
        start(Map.of("web", root.toString()));
        try (Socket s = plain()) {
            Response r = exchange(s, get("/big.wasm"), false);
            assertEquals("application/wasm", r.header("content-type"));
            assertArrayEquals(big, r.body);
            Response again = exchange(s, get("/big.wasm"), false);
            assertArrayEquals(big, again.body);
        }
    }

    @Test
    void bigFileUnderTlsInChunks() throws Exception {
        start(Map.of("web", root.toString(), "tls-certificate", server.chainPem.toString(), "tls-key",
                server.keyPem.toString(), "tls-provider", "jdk"));
        try (Socket s = pki.clientContext(null).getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                bridge.port())) {
            s.setSoTimeout(15_000);
            Response r = exchange(s, get("/big.wasm"), false);
            assertEquals(200, r.status);
            assertArrayEquals(big, r.body);
            assertEquals("<p>index</p>\n", exchange(s, get("/"), false).text());
            assertEquals(101, exchange(s, RawClient.upgrade("/ws"), true).status);
            assertEquals("tls", SecurityBridgeTest.echo(s, "tls"));
        }
    }

    @Test
    void slowReaderHoldsBackTheFileNotTheLoop() throws Exception {
        start(Map.of("web", root.toString()));
        try (Socket slow = plain(); Socket other = plain()) {
            slow.getOutputStream().write(get("/big.wasm").getBytes(StandardCharsets.ISO_8859_1));
            // while the slow client reads nothing, another client is served at once
            assertEquals(200, exchange(other, get("/index.html"), false).status);
            Response r = read(slow.getInputStream(), false);
            assertArrayEquals(big, r.body);
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedAfterTheWriteTimeout() throws Exception {
        Path huge = root.resolve("huge.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(256L * 1024 * 1024); // sparse: far more than the socket buffers hold
        }
        try {
            start(Map.of("web", root.toString(), "write-timeout", "1"));
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(16 * 1024);
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), bridge.port()));
                s.setSoTimeout(30_000);
                s.getOutputStream().write(get("/huge.bin").getBytes(StandardCharsets.ISO_8859_1));
                Thread.sleep(4000); // read nothing: the server sees no progress and closes
                long got = 0;
                byte[] buf = new byte[65536];
                InputStream in = s.getInputStream();
                try {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        got += n;
                    }
                } catch (IOException e) {
                    // reset after the close: also fine
                }
                assertTrue(got < 256L * 1024 * 1024, "closed before the whole file went out (" + got + " bytes)");
            }
        } finally {
            Files.delete(huge);
        }
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
    }
}
