package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import io.websocksy.itests.support.PortWatch;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * The C websocksy's INI configuration file as the single argument of the real distribution: the issue's
 * must-show file-backend routing by path (with comments, CRLF line ends and a UTF-8 BOM: docs/conformance.md K2), and
 * the bad lines of K1, each refused with one {@code websocksy: <file>:<line>: ...} line, exit status 2 and
 * the port never bound.
 */
public class IniFileIT {
    private Path work;
    private Path deploy;
    private int port;

    @Before
    public void setUp() throws IOException {
        work = Files.createTempDirectory("websocksy-ini-it");
        deploy = Files.createDirectories(work.resolve("deploy"));
        port = Ports.freePort();
    }

    /** A peer that greets each connection with its name and a newline, then echoes. */
    private static TcpPeer greeter(String name) throws IOException {
        return new TcpPeer(s -> {
            s.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            TcpPeer.copyBack(s);
        });
    }

    /**
     * The file backend: from the distribution's bundle/ when the runtime ships it, else its jar from the local
     * Maven repository dropped into the deploy directory (which deploys plug-in jars in INI mode too).
     */
    private void provideFileBackend() throws IOException {
        Path shipped = Websocksy.home().resolve("bundle/io.websocksy.backend.file.jar");
        if (Files.exists(shipped)) {
            return;
        }
        Path repo = Paths.get(System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        Path dir = repo.resolve("io/websocksy/io.websocksy.backend.file/0.1.0-SNAPSHOT");
        Path jar = dir.resolve("io.websocksy.backend.file-0.1.0-SNAPSHOT.jar");
        assertTrue("the file backend is neither in " + shipped + " nor in " + jar, Files.exists(jar));
        Files.copy(jar, deploy.resolve("io.websocksy.backend.file.jar"));
    }

    @Test
    public void mustShowFileBackendRoutesByPath() throws Exception {
        provideFileBackend();
        try (TcpPeer alpha = greeter("alpha"); TcpPeer fallback = greeter("default")) {
            Path routes = Files.createDirectories(work.resolve("routes"));
            Files.writeString(routes.resolve("alpha.txt"), "# the alpha peer\n" + alpha.address() + " * auto\n");
            Files.writeString(routes.resolve("default.txt"), fallback.address() + " * auto\n");
            Path ini = work.resolve("websocksy.ini");
            String text = "\uFEFF# websocksy.ini (K2: BOM, CRLF, # and ; comments)\r\n"
                    + "[core]\r\n"
                    + "port = " + port + "\r\n"
                    + "listen = 127.0.0.1\r\n"
                    + "; keep-alive\r\n"
                    + "ping = 30\r\n"
                    + "backend = file\r\n"
                    + "\r\n"
                    + "[backend]\r\n"
                    + "path = " + routes + "\r\n"
                    + "expression = %endpoint%.txt\r\n"
                    + "# tried when the first template names no file\r\n"
                    + "expression = default.txt\r\n";
            Files.write(ini, text.getBytes(StandardCharsets.UTF_8));
            try (Websocksy w = Websocksy.start(work, deploy, null, ini.toString())) {
                w.awaitLog("command-line settings applied", Duration.ofSeconds(60));
                try (WsClient a = WsClient.connect(port, "/alpha"); WsClient d = WsClient.connect(port, "/other")) {
                    assertEquals("alpha\n", a.nextMessage(Duration.ofSeconds(10)).string());
                    assertEquals("default\n", d.nextMessage(Duration.ofSeconds(10)).string());
                    a.sendText("ping-a");
                    assertEquals("ping-a", a.nextMessage(Duration.ofSeconds(10)).string());
                }
                assertEquals(1, alpha.accepted());
                assertEquals(1, fallback.accepted());
                assertEquals(w.log(), List.of(), w.launcherLines());
            }
        }
    }

    private void refused(String content, String expected) throws Exception {
        Path ini = work.resolve("bad.ini");
        Files.writeString(ini, content);
        try (PortWatch watch = new PortWatch(port);
                Websocksy w = Websocksy.start(work, deploy, "-Dwebsocksy.launch.wait=2", ini.toString())) {
            int rc = w.awaitExit(Duration.ofSeconds(60));
            String log = w.log();
            assertEquals(log, 2, rc);
            List<String> lines = w.launcherLines();
            assertEquals(log, 1, lines.size());
            String want = "websocksy: " + ini + expected;
            if (want.endsWith("...")) {
                String prefix = want.substring(0, want.length() - 3);
                assertTrue("expected a line starting with\n" + prefix + "\ngot\n" + lines.get(0),
                        lines.get(0).startsWith(prefix));
            } else {
                assertEquals(log, want, lines.get(0));
            }
            assertFalse(log, log.contains("listening on"));
            assertFalse("port " + port + " was bound", watch.everAccepted());
        }
    }

    @Test
    public void k1UnknownCoreKey() throws Exception {
        refused("[core]\nport = " + port + "\nverbose = yes\n",
                ":3: verbose = 'yes': unknown [core] key (known: backend, listen, ping, port)");
    }

    @Test
    public void k1LineWithoutEquals() throws Exception {
        refused("[core]\nport = " + port + "\n[backend]\nhost tcp://127.0.0.1:1\n",
                ":4: 'host tcp://127.0.0.1:1': expected key = value");
    }

    @Test
    public void k1UnknownSection() throws Exception {
        refused("[core]\nport = " + port + "\n[peers]\n", ":3: [peers]: unknown section (expected [core] or [backend])");
    }

    @Test
    public void k1DuplicateKey() throws Exception {
        refused("[core]\nport = " + port + "\nport = " + port + "\n",
                ":3: port = '" + port + "': duplicate [core] key (first set at line 2)");
    }

    @Test
    public void k1BadPortAndPing() throws Exception {
        refused("[core]\nport = 70000\n", ":2: port = '70000': not a port number (expected 1-65535)");
        refused("[core]\nport = abc\n", ":2: port = 'abc': not a port number (expected 1-65535)");
        refused("[core]\nport = " + port + "\nping = abc\n",
                ":3: ping = 'abc': not a number of seconds (expected 0-86400, 0 = no pings)");
    }

    @Test
    public void k3UnknownFramerNamesTheLine() throws Exception {
        refused("[core]\nport = " + port + "\nlisten = 127.0.0.1\n[backend]\nhost = tcp://127.0.0.1:1\n"
                + "framing = nosuch\n", ":6: framing = 'nosuch': unknown framer (installed: auto, binary, ...");
    }
}
