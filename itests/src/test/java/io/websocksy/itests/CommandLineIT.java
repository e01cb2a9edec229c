package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.websocksy.itests.support.PortWatch;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * The C websocksy's command line on the real distribution ({@code bin/websocksy -p -l -k -b -c}): the
 * issue's must-show bridge with newline framing, and every bad input of docs/conformance.md K1/K3/K4/K11 refused with
 * exactly one {@code websocksy: <source>: ...} line naming the argument, the key and the value, a non-zero
 * exit status, and the port never bound.
 */
public class CommandLineIT {
    /** The agent waits this long for plug-ins before calling a backend or framer unknown. */
    private static final String FAST = "-Dwebsocksy.launch.wait=2";

    private Path work;
    private Path deploy;
    private int port;

    @Before
    public void setUp() throws IOException {
        work = Files.createTempDirectory("websocksy-cli-it");
        deploy = Files.createDirectories(work.resolve("deploy"));
        port = Ports.freePort();
    }

    @After
    public void cleanUp() {
        // the work directory keeps the log for a failed test; it lives under the system temp directory
    }

    /**
     * Runs the launcher to its exit while watching {@link #port}; asserts the status, that the only launcher
     * line is {@code expected} (or starts with it, when it ends with "..."), and that nothing ever listened.
     */
    private String refused(int status, String expected, String... args) throws Exception {
        try (PortWatch watch = new PortWatch(port); Websocksy w = Websocksy.start(work, deploy, FAST, args)) {
            int rc = w.awaitExit(Duration.ofSeconds(90));
            String log = w.log();
            assertEquals(log, status, rc);
            List<String> lines = w.launcherLines();
            assertEquals(log, 1, lines.size());
            if (expected.endsWith("...")) {
                String prefix = expected.substring(0, expected.length() - 3);
                assertTrue("expected a line starting with\n" + prefix + "\ngot\n" + lines.get(0),
                        lines.get(0).startsWith(prefix));
            } else {
                assertEquals(log, expected, lines.get(0));
            }
            assertFalse(log, log.contains("listening on"));
            assertFalse("port " + port + " was bound", watch.everAccepted());
            return lines.get(0);
        }
    }

    @Test
    public void mustShowNewlineFramingToTheEchoPeer() throws Exception {
        int ignored = Ports.freePort();
        // in command-line mode the deploy directory's .cfg files are not used
        Websocksy.writeAtomically(deploy, "websocksy.listener-main.cfg", "listen = 127.0.0.1\nport = " + ignored + "\n");
        try (TcpPeer echo = TcpPeer.echo();
                Websocksy w = Websocksy.start(work, deploy, null, "-p", String.valueOf(port), "-l", "127.0.0.1",
                        "-c", "host=tcp://127.0.0.1:" + echo.port(), "-c", "framing=newline",
                        "-c", "framing-config=lf")) {
            w.awaitLog("command-line settings applied", Duration.ofSeconds(60));
            assertTrue(w.log(), Ports.accepts(port));
            try (WsClient c = WsClient.connect(port, "/")) {
                c.sendText("one\ntwo\nthr");
                WsClient.Msg m1 = c.nextMessage(Duration.ofSeconds(10));
                WsClient.Msg m2 = c.nextMessage(Duration.ofSeconds(10));
                assertTrue(m1.text && m2.text);
                assertEquals("one\n", m1.string());
                assertEquals("two\n", m2.string());
                c.sendText("ee\n");
                assertEquals("three\n", c.nextMessage(Duration.ofSeconds(10)).string());
            }
            assertFalse("deploy/websocksy.listener-main.cfg was applied in command-line mode", Ports.accepts(ignored));
            assertEquals(List.of(), w.launcherLines());
        }
    }

    @Test
    public void laterBackendFlagStartsOptionsAfresh() throws Exception {
        try (TcpPeer echo = TcpPeer.echo();
                Websocksy w = Websocksy.start(work, deploy, null, "-p", String.valueOf(port), "-l", "127.0.0.1",
                        "-k", "5", "-c", "framing=nosuch", "-b", "default",
                        "-c", "host=tcp://127.0.0.1:" + echo.port())) {
            w.awaitLog("command-line settings applied", Duration.ofSeconds(60));
            try (WsClient c = WsClient.connect(port, "/")) {
                c.sendText("hello");
                WsClient.Msg m = c.nextMessage(Duration.ofSeconds(10));
                assertTrue(m.text);
                assertEquals("hello", m.string());
            }
        }
    }

    @Test
    public void helpExitsZero() throws Exception {
        try (Websocksy w = Websocksy.start(work, deploy, null, "--help")) {
            assertEquals(0, w.awaitExit(Duration.ofSeconds(60)));
            assertTrue(w.log(), w.log().startsWith("Usage: websocksy [-p port] [-l host] [-k seconds] [-b backend]"));
        }
    }

    @Test
    public void k1UnknownFlag() throws Exception {
        refused(2, "websocksy: argument 3: unknown option '-x' (see --help)", "-p", String.valueOf(port), "-x", "1");
    }

    @Test
    public void k1MissingValue() throws Exception {
        refused(2, "websocksy: argument 3: option -l needs a value (see --help)", "-p", String.valueOf(port), "-l");
    }

    @Test
    public void k1OptionWithoutEquals() throws Exception {
        refused(2, "websocksy: argument 4 (-c framing): expected -c option=value, got 'framing'",
                "-p", String.valueOf(port), "-c", "framing");
    }

    @Test
    public void k1PortOutOfRange() throws Exception {
        refused(2, "websocksy: argument 2 (-p 70000): port = '70000': not a port number (expected 1-65535)",
                "-p", "70000");
    }

    @Test
    public void k1PortNotANumber() throws Exception {
        refused(2, "websocksy: argument 2 (-p abc): port = 'abc': not a port number (expected 1-65535)", "-p", "abc");
    }

    @Test
    public void k1PingNotANumber() throws Exception {
        refused(2, "websocksy: argument 4 (-k abc): ping = 'abc': not a number of seconds (expected 0-86400, "
                + "0 = no pings)", "-p", String.valueOf(port), "-k", "abc");
    }

    @Test
    public void k8UnknownBackend() throws Exception {
        String line = refused(2, "websocksy: argument 6 (-b nosuch): backend = 'nosuch': unknown backend (installed: ...",
                "-p", String.valueOf(port), "-l", "127.0.0.1", "-b", "nosuch");
        assertTrue(line, line.contains("default"));
    }

    @Test
    public void k3UnknownFramer() throws Exception {
        String line = refused(2, "websocksy: argument 6 (-c framing=nosuch): framing = 'nosuch': unknown framer "
                + "(installed: ...", "-p", String.valueOf(port), "-l", "127.0.0.1", "-c", "framing=nosuch");
        assertTrue(line, line.contains("auto, binary, "));
    }

    @Test
    public void k4NewlineWithMalformedConfig() throws Exception {
        refused(2, "websocksy: argument 8 (-c framing-config=bogus): framing-config = 'bogus': newline: unknown line "
                + "ending 'bogus' (expected crlf, lfcr, lf or cr)", "-p", String.valueOf(port), "-l", "127.0.0.1",
                "-c", "framing=newline", "-c", "framing-config=bogus");
    }

    @Test
    public void k4SeparatorWithMalformedConfig() throws Exception {
        refused(2, "websocksy: argument 8 (-c framing-config=\\xZZ): framing-config = '\\xZZ': separator: ...",
                "-p", String.valueOf(port), "-l", "127.0.0.1", "-c", "framing=separator", "-c", "framing-config=\\xZZ");
    }

    @Test
    public void k4SeparatorWithoutConfig() throws Exception {
        refused(2, "websocksy: argument 6 (-c framing=separator): framing-config = '': separator: ...",
                "-p", String.valueOf(port), "-l", "127.0.0.1", "-c", "framing=separator");
    }

    @Test
    public void unknownBackendOption() throws Exception {
        refused(2, "websocksy: argument 6 (-c nosuch=1): nosuch = '1': unknown option for the default backend "
                + "(known: framing, framing-config, host, name, peer-proxy-protocol, port, protocol)",
                "-p", String.valueOf(port), "-l", "127.0.0.1", "-c", "nosuch=1");
    }

    @Test
    public void badBackendValueNamesItsArgument() throws Exception {
        refused(2, "websocksy: argument 8 (-c port=70000): websocksy.backend.default~main: port = '70000': ...",
                "-p", String.valueOf(port), "-l", "127.0.0.1", "-c", "host=tcp://127.0.0.1", "-c", "port=70000");
    }

    @Test
    public void k11PortAlreadyInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.LOOPBACK, port));
            try (Websocksy w = Websocksy.start(work, deploy, FAST, "-p", String.valueOf(port), "-l", "127.0.0.1",
                    "-c", "host=tcp://127.0.0.1:1")) {
                int rc = w.awaitExit(Duration.ofSeconds(90));
                String log = w.log();
                assertEquals(log, 1, rc);
                List<String> lines = w.launcherLines();
                assertEquals(log, 1, lines.size());
                assertEquals(log, "websocksy: argument 2 (-p " + port + "): port = '" + port + "': websocksy.listener~main: "
                        + "cannot listen on 127.0.0.1 port " + port + ": address already in use", lines.get(0));
                assertFalse(log, log.contains("listening on"));
            }
        }
    }
}
