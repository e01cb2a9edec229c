package io.websocksy.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.Before;
import org.junit.Test;

import io.websocksy.itests.support.PortWatch;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;

/**
 * {@code bin/websocksy websockify ...} on the assembled distribution, as websockify users run it: static
 * files and WebSocket bridging on one port ({@code --web DIR port host:port}), the traversal cases answered
 * 404 over the wire, the subprotocol {@code binary} chosen as websockify does, {@code --idle-timeout} ending
 * the process with status 0, and an unsupported option refused with one line naming it (status 2, the port
 * never bound).
 */
public class WebsockifyIT {
    private Path work;
    private Path deploy;
    private Path web;
    private int port;

    @Before
    public void setUp() throws IOException {
        work = Files.createTempDirectory("websocksy-websockify-it");
        deploy = Files.createDirectories(work.resolve("deploy"));
        web = Files.createDirectories(work.resolve("web"));
        Files.writeString(work.resolve("secret.txt"), "top secret");
        Files.writeString(web.resolve("vnc.html"), "<!doctype html><title>vnc</title>\n");
        Files.createDirectories(web.resolve("app"));
        Files.writeString(web.resolve("app/ui.js"), "export default 1;\n");
        Files.createSymbolicLink(web.resolve("escape"), work.resolve("secret.txt"));
        port = Ports.freePort();
    }

    /** One HTTP/1.1 request on a new connection; status, lower-case headers and the body. */
    static final class Http {
        int status;
        final Map<String, String> headers = new HashMap<>();
        String body = "";

        static Http get(int port, String target) throws IOException {
            try (Socket s = new Socket(Ports.LOOPBACK, port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                InputStream in = s.getInputStream();
                in.transferTo(b);
                String all = b.toString(StandardCharsets.UTF_8);
                Http h = new Http();
                int end = all.indexOf("\r\n\r\n");
                String[] lines = all.substring(0, end).split("\r\n");
                h.status = Integer.parseInt(lines[0].split(" ")[1]);
                for (int i = 1; i < lines.length; i++) {
                    int c = lines[i].indexOf(':');
                    h.headers.put(lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
                }
                h.body = all.substring(end + 4);
                return h;
            }
        }
    }

    /** A binary message through the bridge with the subprotocol {@code binary} offered, as old noVNC does. */
    static void binaryEcho(int port, byte[] payload) throws Exception {
        CompletableFuture<byte[]> got = new CompletableFuture<>();
        ByteArrayOutputStream acc = new ByteArrayOutputStream();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("binary")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/websockify"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        acc.write(b, 0, b.length);
                        if (acc.size() >= payload.length) {
                            got.complete(acc.toByteArray());
                        }
                        w.request(1);
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        assertEquals("websockify chooses 'binary' when offered", "binary", ws.getSubprotocol());
        ws.sendBinary(ByteBuffer.wrap(payload), true).get(20, TimeUnit.SECONDS);
        assertArrayEquals(payload, got.get(20, TimeUnit.SECONDS));
        ws.sendClose(1000, "done").get(20, TimeUnit.SECONDS);
    }

    @Test
    public void webAndBridgeOnOnePortTraversalIs404() throws Exception {
        try (TcpPeer echo = TcpPeer.echo();
                Websocksy w = Websocksy.start(work, deploy, null, "websockify", "--web", web.toString(),
                        "127.0.0.1:" + port, "127.0.0.1:" + echo.port())) {
            w.awaitLog("command-line settings applied", Duration.ofSeconds(90));
            Http page = Http.get(port, "/vnc.html?autoconnect=true&resize=scale");
            assertEquals(200, page.status);
            assertEquals("text/html; charset=utf-8", page.headers.get("content-type"));
            assertEquals("<!doctype html><title>vnc</title>\n", page.body);
            assertTrue(page.headers.containsKey("etag") && page.headers.containsKey("last-modified"));
            Http js = Http.get(port, "/app/ui.js");
            assertEquals("text/javascript; charset=utf-8", js.headers.get("content-type"));
            Http listing = Http.get(port, "/");
            assertEquals("websockify lists directories: so does websocksy websockify", 200, listing.status);
            assertTrue(listing.body, listing.body.contains("href=\"vnc.html\""));
            assertFalse("a symlink leading out is not listed", listing.body.contains("escape"));
            for (String t : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt",
                    "/..\\secret.txt", "/..%5csecret.txt", "/vnc.html%00", "/escape", "/app/../../secret.txt",
                    "//secret.txt", "/nothing.html")) {
                Http h = Http.get(port, t);
                assertEquals(t, 404, h.status);
                assertFalse(t, h.body.contains("secret"));
            }
            byte[] payload = new byte[200_000];
            new java.util.Random(3).nextBytes(payload);
            binaryEcho(port, payload);
            String log = w.log();
            assertTrue(log, log.contains("GET /%2e%2e/secret.txt -> 404 dot segment in path"));
            assertTrue(log, log.contains("framer=binary subprotocol=binary"));
            assertEquals(List.of(), w.launcherLines());
        }
    }

    @Test
    public void certAndKeyServeFilesAndBridgeOverTls() throws Exception {
        io.websocksy.testing.TestPki pki = new io.websocksy.testing.TestPki(
                Files.createDirectories(work.resolve("pki")), "Websockify IT CA");
        io.websocksy.testing.TestPki.Leaf leaf = pki.leaf("localhost", "EC", false);
        javax.net.ssl.SSLContext ctx = pki.clientContext(null);
        try (TcpPeer echo = TcpPeer.echo();
                Websocksy w = Websocksy.start(work, deploy, null, "websockify", "--cert", leaf.chainPem.toString(),
                        "--key", leaf.keyPem.toString(), "--web", web.toString(), "127.0.0.1:" + port,
                        "127.0.0.1:" + echo.port())) {
            w.awaitLog("command-line settings applied", Duration.ofSeconds(90));
            try (Socket s = ctx.getSocketFactory().createSocket(Ports.LOOPBACK, port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(("GET /vnc.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(all, all.startsWith("HTTP/1.1 200 OK\r\n"));
                assertTrue(all, all.endsWith("\r\n\r\n<!doctype html><title>vnc</title>\n"));
            }
            try (Socket s = ctx.getSocketFactory().createSocket(Ports.LOOPBACK, port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(("GET /websockify HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String head = io.websocksy.itests.support.RawHttp.readHead(s.getInputStream());
                assertTrue(head, head.startsWith("HTTP/1.1 101 "));
                assertTrue(head, head.contains("Sec-WebSocket-Protocol: binary"));
            }
            assertFalse("TLS only: a plain request gets no HTTP answer", plainAnswers(port));
            assertFalse(w.log(), w.log().contains("tls=off"));
        }
    }

    private static boolean plainAnswers(int port) {
        try (Socket s = new Socket(Ports.LOOPBACK, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /vnc.html HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] b = s.getInputStream().readNBytes(5);
            return new String(b, StandardCharsets.ISO_8859_1).equals("HTTP/");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    public void idleTimeoutEndsTheProcessWithStatus0() throws Exception {
        try (TcpPeer echo = TcpPeer.echo();
                Websocksy w = Websocksy.start(work, deploy, null, "websockify", "--idle-timeout", "3",
                        "127.0.0.1:" + port, "127.0.0.1:" + echo.port())) {
            w.awaitLog("command-line settings applied", Duration.ofSeconds(90));
            binaryEcho(port, "hello".getBytes(StandardCharsets.US_ASCII));
            assertEquals(w.log(), 0, w.awaitExit(Duration.ofSeconds(60)));
            assertTrue(w.log(), w.log().contains("stopping (--idle-timeout 3: no open connection for 3 s)"));
        }
    }

    @Test
    public void runOnceWithVerboseBridgesOneConnectionThenExits() throws Exception {
        try (TcpPeer echo = TcpPeer.echo();
                Websocksy w = Websocksy.start(work, deploy, null, "websockify", "--run-once", "-v",
                        "127.0.0.1:" + port, "127.0.0.1:" + echo.port())) {
            w.awaitLog("command-line settings applied", Duration.ofSeconds(90));
            binaryEcho(port, "once".getBytes(StandardCharsets.US_ASCII));
            assertEquals(w.log(), 0, w.awaitExit(Duration.ofSeconds(60)));
            String log = w.log();
            assertTrue(log, log.contains("stopping (--run-once: the connection has closed)"));
            assertTrue("--verbose: one access-log line per connection: " + log, log.contains(" INFO  access: "));
        }
    }

    @Test
    public void unsupportedOptionIsAnErrorNamingIt() throws Exception {
        try (PortWatch watch = new PortWatch(port);
                Websocksy w = Websocksy.start(work, deploy, null, "websockify", "--ssl-target", "127.0.0.1:" + port,
                        "127.0.0.1:5900")) {
            assertEquals(w.log(), 2, w.awaitExit(Duration.ofSeconds(60)));
            assertEquals(List.of("websocksy: argument 2: websockify option --ssl-target is not supported: peers are "
                    + "connected in plain TCP; put TLS to the target elsewhere (e.g. stunnel)"), w.launcherLines());
            assertFalse(watch.everAccepted());
        }
    }

    @Test
    public void tokenFileMapsOntoTheTokenBackend() throws Exception {
        Path tokens = Files.writeString(work.resolve("tokens"), "t1: 127.0.0.1:5900\n");
        boolean installed;
        try (java.util.stream.Stream<Path> jars = Files.list(Websocksy.home().resolve("bundle"))) {
            installed = jars.anyMatch(j -> j.getFileName().toString().contains("backend.token"));
        }
        try (Websocksy w = Websocksy.start(work, deploy, "-Dwebsocksy.launch.wait=2", "websockify", "--token-plugin",
                "TokenFile", "--token-source", tokens.toString(), "127.0.0.1:" + port)) {
            if (installed) {
                w.awaitLog("command-line settings applied", Duration.ofSeconds(90));
                assertTrue(w.log(), w.log().contains("source=" + tokens));
                return;
            }
            // the token backend (websocksy.backend.token) is not in this distribution: the launcher says so
            System.err.println("WebsockifyIT: no websocksy.backend.token bundle in the distribution; checking the "
                    + "error that names it instead of a token-file round trip");
            assertEquals(w.log(), 2, w.awaitExit(Duration.ofSeconds(90)));
            List<String> lines = w.launcherLines();
            assertEquals(w.log(), 1, lines.size());
            assertTrue(lines.get(0), lines.get(0).startsWith("websocksy: argument 3 (--token-plugin TokenFile): "
                    + "backend = 'token': unknown backend (installed: "));
        }
    }
}
