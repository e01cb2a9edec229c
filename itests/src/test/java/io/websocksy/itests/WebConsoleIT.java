package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RealClients;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * The Felix Web Console of the admin set in the real distribution (admin/ copied into deploy/, as the README
 * says). It is not reachable (404, even with admin/admin) while websocksy.console.cfg is missing; once that file
 * holds a user and a PBKDF2 hash: 401 without or with wrong credentials (admin/admin too), 403 for a POST from
 * another origin. In headless Chromium (Debian's, driven by npm playwright-core), logged in: the websocksy page
 * lists a live connection the test opened, its Close button closes it and the client sees 1008 with the reason
 * typed; and the configuration page's editor (the Web Console's ConfigAdmin plugin, its real form and Save
 * button) moves a listener to another port, which then accepts a WebSocket.
 *
 * <p>The browser parts skip, saying so, without chromium, node or the npm packages; {@code .ci/run} installs them.
 */
public class WebConsoleIT {
    private static final int ADMIN = Ports.freePort();
    private static final int MAIN = Ports.freePort();
    private static final String USER = "ops";
    private static final String PASSWORD = "wc-" + Long.toHexString(new SecureRandom().nextLong());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path work;
    private static Path deploy;
    private static Websocksy websocksy;
    private static TcpPeer echo;
    private static int offStatus;
    private static int offStatusAdminAdmin;

    @BeforeClass
    public static void start() throws Exception {
        work = Files.createTempDirectory("websocksy-webconsole-it");
        deploy = Files.createDirectories(work.resolve("deploy"));
        echo = TcpPeer.echo();
        Path admin = Websocksy.home().resolve("admin");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(admin, "*.{jar,cfg}")) {
            for (Path p : ds) {
                Files.copy(p, deploy.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertTrue("the Web Console is in the admin set", Files.exists(deploy.resolve("org.apache.felix.webconsole-5.0.18.jar")));
        assertTrue("the admin set ships no console credentials", !Files.exists(deploy.resolve("websocksy.console.cfg")));
        String http = Files.readString(deploy.resolve("org.apache.felix.http.cfg"));
        Websocksy.writeAtomically(deploy, "org.apache.felix.http.cfg",
                http.replaceAll("org.osgi.service.http.port = \\d+", "org.osgi.service.http.port = " + ADMIN));
        Websocksy.writeAtomically(deploy, "websocksy.backend.default-main.cfg",
                "name = main\nhost = " + echo.address() + "\nframing = auto\n");
        Websocksy.writeAtomically(deploy, "websocksy.listener-main.cfg",
                "listen = 127.0.0.1\nport = " + MAIN + "\nbackend = main\n");
        websocksy = Websocksy.start(work, deploy, "-Dorg.osgi.service.http.port=" + ADMIN);
        Poll.until(Duration.ofSeconds(90), "listener and admin port (log: " + websocksy.logFile() + ")",
                () -> Ports.accepts(MAIN) && get("/metrics", null).statusCode() == 200);
        // the Web Console is active and has decided not to register (no security provider "websocksy")
        websocksy.awaitLog("Not all requirements met for the Web Console", Duration.ofSeconds(60));
        offStatus = get("/system/console/bundles", null).statusCode();
        offStatusAdminAdmin = get("/system/console/bundles", basic("admin", "admin")).statusCode();

        Websocksy.writeAtomically(deploy, "websocksy.console.cfg", "username = " + USER + "\npassword = "
                + pbkdf2(PASSWORD) + "\n");
        Poll.until(Duration.ofSeconds(60), "the console answering with the configured credentials",
                () -> get("/system/console/bundles.json", basic(USER, PASSWORD)).statusCode() == 200);
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

    /** The README's Python one-liner, in Java: {pbkdf2-sha256}ITERATIONS$SALT$HASH. */
    static String pbkdf2(String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        int n = 100_000;
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, n, 256)).getEncoded();
        return "{pbkdf2-sha256}" + n + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> get(String path, String auth) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ADMIN + path)), auth);
    }

    static HttpResponse<String> send(HttpRequest.Builder b, String auth) {
        if (auth != null) {
            b.header("Authorization", auth);
        }
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("admin port: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    public void theConsoleIsOffUntilConfiguredAndThenNeedsTheConfiguredCredentials() {
        assertEquals("no websocksy.console.cfg: the console is not registered at all", 404, offStatus);
        assertEquals("no websocksy.console.cfg: admin/admin opens nothing", 404, offStatusAdminAdmin);
        HttpResponse<String> none = get("/system/console/websocksy", null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse(""),
                none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"websocksy\""));
        assertEquals("the Web Console's default admin/admin", 401,
                get("/system/console/bundles", basic("admin", "admin")).statusCode());
        assertEquals(401, get("/system/console/websocksy", basic(USER, PASSWORD + "x")).statusCode());
        assertEquals(200, get("/system/console/websocksy", basic(USER, PASSWORD)).statusCode());
        // the plugins the README lists: components (DS plugin), health checks, configuration with metatype, log
        String auth = basic(USER, PASSWORD);
        HttpResponse<String> components = get("/system/console/components", auth);
        assertEquals(200, components.statusCode());
        assertTrue(components.body(), components.body().contains("Components"));
        HttpResponse<String> hc = get("/system/console/healthcheck", auth);
        assertEquals(200, hc.statusCode());
        assertTrue(hc.body(), hc.body().contains("Health Check"));
        HttpResponse<String> config = get("/system/console/configMgr", auth);
        assertEquals(200, config.statusCode());
        assertTrue("the listener's metatype is offered: " + config.body(), config.body().contains("websocksy listener"));
        Poll.until(Duration.ofSeconds(20), "the Log plugin showing the bridge's log (Pax Logging's LogReaderService)",
                () -> {
                    HttpResponse<String> logs = get("/system/console/logs.json", auth);
                    return logs.statusCode() == 200 && logs.body().contains("Web Console enabled for user " + USER);
                });
        // a state-changing request from another origin (what a malicious page would make the browser send)
        HttpResponse<String> csrf = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ADMIN
                + "/system/console/configMgr/websocksy.listener~main"))
                .header("Origin", "http://evil.example").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("apply=true&propertylist=port&port=1")), basic(USER, PASSWORD));
        assertEquals(403, csrf.statusCode());
        assertTrue("the listener did not move", Ports.accepts(MAIN));
        String log = websocksy.log();
        assertTrue(log, log.contains("-> 403 cross-origin request refused: Origin http://evil.example"));
        assertTrue(log, log.contains("-> 401 wrong user name or password (user 'admin')"));
        assertTrue(log, !log.contains("holds the password itself"));
    }

    @Test
    public void theWebsocksyPageListsALiveConnectionAndItsCloseButtonClosesItWith1008() throws Exception {
        RealClients.require("WebConsoleIT", "/usr/bin/chromium", "chromium", "/usr/bin/node", "nodejs");
        String path = "/webconsole-it-" + Long.toHexString(System.nanoTime());
        try (WsClient c = WsClient.connect(MAIN, path)) {
            c.sendText("ping");
            assertEquals("ping", c.nextMessage(Duration.ofSeconds(10)).string());
            String json = RealClients.node(work, "webconsole.js", Duration.ofSeconds(120), "close",
                    "http://127.0.0.1:" + ADMIN + "/system/console", USER, PASSWORD, path, "1008", "closed in the console");
            assertTrue(json, json.contains("\"status\":200"));
            assertTrue("the row shows listener, path, peer and framer: " + json,
                    json.contains("\"main\"") && json.contains("\"" + path + "\"")
                            && json.contains(echo.address()) && json.contains("\"auto\""));
            assertTrue(json, json.contains("closed with 1008"));
            Object e = c.next(Duration.ofSeconds(20));
            assertTrue("the client sees the close: " + e, e instanceof WsClient.Closed);
            assertEquals(1008, ((WsClient.Closed) e).code);
            assertEquals("closed in the console", ((WsClient.Closed) e).reason);
        }
    }

    @Test
    public void editingAListenersPortInTheConfigurationPageMovesIt() throws Exception {
        RealClients.require("WebConsoleIT", "/usr/bin/chromium", "chromium", "/usr/bin/node", "nodejs");
        int from = Ports.freePort();
        Websocksy.writeAtomically(deploy, "websocksy.listener-moving.cfg",
                "listen = 127.0.0.1\nport = " + from + "\nbackend = main\n");
        Poll.until(Duration.ofSeconds(60), "listener moving on port " + from, () -> echoes(from));
        int to = Ports.freePort();
        String json = RealClients.node(work, "webconsole.js", Duration.ofSeconds(120), "config",
                "http://127.0.0.1:" + ADMIN + "/system/console", USER, PASSWORD, "websocksy.listener~moving", "port",
                String.valueOf(to));
        assertTrue(json, json.contains("\"before\":\"" + from + "\""));
        assertTrue("the Save was accepted (302 back to the list): " + json, json.contains("\"saveStatus\":302"));
        Poll.until(Duration.ofSeconds(60), "a WebSocket through the listener on its new port " + to, () -> echoes(to));
        Poll.until(Duration.ofSeconds(30), "the old port " + from + " released", () -> !Ports.accepts(from));
        websocksy.awaitLog("listener moving moved from /127.0.0.1:" + from + " to /127.0.0.1:" + to, Duration.ofSeconds(10));
    }

    @Test
    public void drainResumeAndTheRouteDryRunFromThePage() throws Exception {
        RealClients.require("WebConsoleIT", "/usr/bin/chromium", "chromium", "/usr/bin/node", "nodejs");
        int port = Ports.freePort();
        Websocksy.writeAtomically(deploy, "websocksy.listener-draining.cfg",
                "listen = 127.0.0.1\nport = " + port + "\nbackend = main\n");
        Poll.until(Duration.ofSeconds(60), "listener draining on port " + port, () -> echoes(port));
        String console = "http://127.0.0.1:" + ADMIN + "/system/console";
        String drained = RealClients.node(work, "webconsole.js", Duration.ofSeconds(120), "form", console, USER, PASSWORD,
                "draining", "drain", "{\"timeout\":\"0\"}");
        assertTrue(drained, drained.contains("\"flash\":\"listener draining drain"));
        Poll.until(Duration.ofSeconds(30), "the drained listener refusing new clients", () -> !Ports.accepts(port));
        String resumed = RealClients.node(work, "webconsole.js", Duration.ofSeconds(120), "form", console, USER, PASSWORD,
                "draining", "resume", "{}");
        assertTrue(resumed, resumed.contains("\"flash\":\"listener draining listening on 127.0.0.1:" + port + "\""));
        assertTrue(resumed, resumed.contains("\"state\":\"listening\""));
        Poll.until(Duration.ofSeconds(30), "the resumed listener bridging again", () -> echoes(port));
        String dry = RealClients.node(work, "webconsole.js", Duration.ofSeconds(120), "form", console, USER, PASSWORD,
                "", "dryrun", "{\"listener\":\"draining\",\"target\":\"/dry?x=1\"}");
        assertTrue(dry, dry.contains("\"flash\":\"dry run: 101 (backend main) -> "));
        assertTrue(dry, dry.contains(echo.address()));
    }

    /** @return true when a WebSocket on that port echoes a message */
    static boolean echoes(int port) {
        try (WsClient c = WsClient.connect(port, "/")) {
            c.sendText("echo?");
            return "echo?".equals(c.nextMessage(Duration.ofSeconds(5)).string());
        } catch (Exception | AssertionError e) {
            return false;
        }
    }
}
