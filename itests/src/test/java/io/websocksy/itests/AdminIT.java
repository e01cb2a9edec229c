package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * The optional admin set of the real distribution (admin/ copied into deploy/, as the README says): Felix
 * HTTP on Jetty 12 on its own loopback port serving /metrics (Prometheus text) and /health (Felix Health
 * Checks). The counters move with a real client; /health turns 503 when a listener's port is taken and 200
 * again when that listener goes.
 */
public class AdminIT {
    private static final int ADMIN = Ports.freePort();
    private static final int MAIN = Ports.freePort();
    private static Path work;
    private static Path deploy;
    private static Websocksy websocksy;
    private static TcpPeer echo;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeClass
    public static void start() throws Exception {
        work = Files.createTempDirectory("websocksy-admin-it");
        deploy = Files.createDirectories(work.resolve("deploy"));
        echo = TcpPeer.echo();
        Path admin = Websocksy.home().resolve("admin");
        int copied = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(admin, "*.{jar,cfg}")) {
            for (Path p : ds) {
                Files.copy(p, deploy.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                copied++;
            }
        }
        assertTrue("admin set missing at " + admin, copied > 10);
        String http = Files.readString(deploy.resolve("org.apache.felix.http.cfg"));
        assertTrue("the shipped admin configuration binds loopback", http.contains("org.apache.felix.http.host = 127.0.0.1"));
        Websocksy.writeAtomically(deploy, "org.apache.felix.http.cfg",
                http.replaceAll("org.osgi.service.http.port = \\d+", "org.osgi.service.http.port = " + ADMIN));
        Websocksy.writeAtomically(deploy, "websocksy.listener-main.cfg",
                "listen = 127.0.0.1\nport = " + MAIN + "\nbackend = main\nping = 30\n");
        Websocksy.writeAtomically(deploy, "websocksy.backend.default-main.cfg",
                "name = main\nhost = " + echo.address() + "\nframing = auto\n");
        // the framework-property default (conf/config.properties) pointed at this test's port as well, so no
        // other process's port is ever touched while the .cfg is on its way
        websocksy = Websocksy.start(work, deploy, "-Dorg.osgi.service.http.port=" + ADMIN);
        Poll.until(Duration.ofSeconds(90), "listener and admin port (log: " + websocksy.logFile() + ")",
                () -> Ports.accepts(MAIN) && get("/metrics").statusCode == 200);
        // the backend's .cfg may be applied after the listener's: wait until the listener routes
        WsClient.awaitRouted(MAIN, "/", Duration.ofSeconds(60));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (websocksy != null) {
            websocksy.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    static final class Answer {
        final int statusCode;
        final String contentType;
        final String body;

        Answer(int statusCode, String contentType, String body) {
            this.statusCode = statusCode;
            this.contentType = contentType;
            this.body = body;
        }
    }

    static Answer get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ADMIN + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            return new Answer(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "", e.toString());
        }
    }

    /** @return the value of the one sample {@code name{labels}} in a Prometheus text body, or -1 */
    static double sample(String body, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    public void metricsListTheFamiliesAndMoveWithAClient() throws Exception {
        Answer a = get("/metrics");
        assertEquals(200, a.statusCode);
        assertTrue(a.contentType, a.contentType.startsWith("text/plain; version=0.0.4"));
        for (String family : new String[] {"websocksy_connections_open gauge", "websocksy_connections_accepted_total counter",
            "websocksy_connections_upgraded_total counter", "websocksy_handshakes_rejected_total counter",
            "websocksy_connections_closed_total counter", "websocksy_bytes_total counter",
            "websocksy_messages_total counter", "websocksy_handshake_duration_seconds histogram",
            "websocksy_route_lookup_duration_seconds histogram", "websocksy_peer_connect_duration_seconds histogram",
            "websocksy_ping_timeouts_total counter", "websocksy_write_stall_closes_total counter",
            "websocksy_tls_handshake_failures_total counter", "websocksy_backend_lookups_total counter",
            "websocksy_backend_errors_total counter", "websocksy_backend_not_found_total counter",
            "websocksy_framer_messages_total counter", "websocksy_framer_errors_total counter",
            "jvm_memory_used_bytes gauge", "jvm_gc_collection_seconds summary", "jvm_threads_current gauge",
            "process_open_fds gauge", "process_max_fds gauge"}) {
            assertTrue("no '# TYPE " + family + "' in:\n" + a.body, a.body.contains("# TYPE " + family + "\n"));
        }
        assertTrue(a.body, sample(a.body, "process_open_fds") > 0);
        assertTrue(a.body, sample(a.body, "process_max_fds") > 0);
        assertTrue(a.body, sample(a.body, "jvm_memory_used_bytes{area=\"heap\"}") > 0);
        double upgraded = sample(a.body, "websocksy_connections_upgraded_total{listener=\"main\"}");
        double toPeer = sample(a.body, "websocksy_bytes_total{listener=\"main\",direction=\"to_peer\"}");
        double closed = Math.max(0, sample(a.body,
                "websocksy_connections_closed_total{listener=\"main\",code=\"1000\",side=\"client\"}"));
        assertTrue(a.body, upgraded >= 0 && toPeer >= 0);

        String text = "counted by the bridge";
        try (WsClient c = WsClient.connect(MAIN, "/")) {
            c.sendText(text);
            assertEquals(text, c.nextMessage(Duration.ofSeconds(10)).string());
            AtomicReference<String> last = new AtomicReference<>();
            Poll.until(Duration.ofSeconds(20), "an open connection and its bytes in /metrics", () -> {
                String b = get("/metrics").body;
                last.set(b);
                return sample(b, "websocksy_connections_open{listener=\"main\"}") == 1
                        && sample(b, "websocksy_connections_upgraded_total{listener=\"main\"}") == upgraded + 1
                        && sample(b, "websocksy_bytes_total{listener=\"main\",direction=\"to_peer\"}") == toPeer + text.length()
                        && sample(b, "websocksy_messages_total{listener=\"main\",direction=\"to_client\"}") >= 1;
            });
            String b = last.get();
            assertTrue(b, sample(b, "websocksy_handshake_duration_seconds_count{listener=\"main\"}") >= 1);
            assertTrue(b, sample(b, "websocksy_handshake_duration_seconds_bucket{listener=\"main\",le=\"+Inf\"}") >= 1);
            assertTrue(b, sample(b, "websocksy_peer_connect_duration_seconds_count{listener=\"main\"}") >= 1);
            assertTrue(b, sample(b, "websocksy_backend_lookups_total{backend=\"main\"}") >= 1);
            assertTrue(b, sample(b, "websocksy_framer_messages_total{framer=\"auto\",direction=\"to_client\"}") >= 1);
            c.ws().sendClose(1000, "done").get(10, java.util.concurrent.TimeUnit.SECONDS);
            Poll.until(Duration.ofSeconds(20), "the close in /metrics", () -> {
                String now = get("/metrics").body;
                last.set(now);
                return sample(now, "websocksy_connections_open{listener=\"main\"}") == 0
                        && sample(now, "websocksy_connections_closed_total{listener=\"main\",code=\"1000\",side=\"client\"}")
                            == closed + 1;
            });
            // bytes of a closed connection stay counted
            assertEquals(toPeer + text.length(), sample(last.get(),
                    "websocksy_bytes_total{listener=\"main\",direction=\"to_peer\"}"), 0);
        }
        // no path, token or client address as a label
        String now = get("/metrics").body;
        assertTrue(now, !now.contains("127.0.0.1") && !now.contains("path="));
    }

    @Test
    public void healthIs200WhenUpAnd503WhenAListenersPortIsTaken() throws Exception {
        AtomicReference<Answer> last = new AtomicReference<>();
        Poll.until(Duration.ofSeconds(30), "/health 200", () -> {
            last.set(get("/health"));
            return last.get().statusCode == 200;
        });
        Answer ok = last.get();
        assertTrue(ok.contentType, ok.contentType.startsWith("application/json"));
        for (String check : new String[] {"websocksy listeners bound", "websocksy backends present",
            "websocksy framers present", "websocksy backends healthy", "websocksy file descriptors",
            "framework bundles active"}) {
            assertTrue("no check '" + check + "' in " + ok.body, ok.body.contains("\"name\":\"" + check + "\""));
        }
        assertTrue(ok.body, ok.body.startsWith("{\"status\":\"OK\""));
        assertEquals(200, get("/health/live").statusCode);
        assertEquals(200, get("/health/ready").statusCode);

        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Websocksy.writeAtomically(deploy, "websocksy.listener-taken.cfg",
                    "listen = 127.0.0.1\nport = " + taken.getLocalPort() + "\nbackend = main\n");
            Poll.until(Duration.ofSeconds(30), "/health 503 with the port taken", () -> {
                last.set(get("/health"));
                return last.get().statusCode == 503;
            });
            Answer bad = last.get();
            assertTrue(bad.body, bad.body.startsWith("{\"status\":\"CRITICAL\""));
            assertTrue(bad.body, bad.body.contains("listener taken is not bound"));
            assertTrue(bad.body, bad.body.contains("port " + taken.getLocalPort()));
            assertEquals("ready fails", 503, get("/health/ready").statusCode);
            assertEquals("live does not (a restart would not free the port)", 200, get("/health/live").statusCode);
            Files.delete(deploy.resolve("websocksy.listener-taken.cfg"));
            Poll.until(Duration.ofSeconds(30), "/health 200 again once the listener is removed", () -> {
                last.set(get("/health"));
                return last.get().statusCode == 200;
            });
        }
        assertEquals(404, get("/health/nonsense").statusCode);
    }
}
