package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;

/**
 * Issue 13, defect 6: in {@code .cfg} mode a process whose only listeners cannot start keeps running (the
 * files may be fixed live) and its start-up summary line says that nothing is served; the errors read as
 * words ({@code address already in use}, {@code cannot resolve the host name}), never {@code : null} or an
 * errno. On the command line an unresolvable {@code -l} is bad input naming {@code -l}.
 */
public class ZeroListenersIT {
    private static final Duration START = Duration.ofSeconds(60);
    private Path work;
    private Path deploy;

    @Before
    public void setUp() throws Exception {
        work = Files.createTempDirectory("websocksy-zero-it");
        deploy = Files.createDirectories(work.resolve("deploy"));
    }

    @After
    public void tearDown() throws Exception {
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void cfgModeWithNoListenerRunningKeepsRunningAndTheSummarySaysSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(); TcpPeer echo = TcpPeer.echo()) {
            taken.bind(new InetSocketAddress(Ports.LOOPBACK, 0));
            int busy = taken.getLocalPort();
            int other = Ports.freePort();
            Websocksy.writeAtomically(deploy, "websocksy.listener-busy.cfg", "listen = 127.0.0.1\nport = " + busy
                    + "\nbackend = z\n");
            Websocksy.writeAtomically(deploy, "websocksy.listener-nohost.cfg", "listen = not.an.address.invalid\nport = "
                    + other + "\nbackend = z\n");
            Websocksy.writeAtomically(deploy, "websocksy.backend.default-z.cfg", "name = z\nhost = " + echo.address() + "\n");
            try (Websocksy w = Websocksy.start(work, deploy, null)) {
                w.awaitLog("websocksy started but no listener is running", START);
                String summary = line(w, "websocksy started but no listener is running");
                assertTrue(summary, summary.contains(deploy.resolve("websocksy.listener-busy.cfg")
                        + " (websocksy.listener~busy): cannot listen on 127.0.0.1 port " + busy + ": address already in use"));
                assertTrue(summary, summary.contains(deploy.resolve("websocksy.listener-nohost.cfg")
                        + " (websocksy.listener~nohost): cannot listen on not.an.address.invalid port " + other
                        + ": cannot resolve the host name"));
                String log = w.log();
                assertFalse(log, log.contains(": null"));
                assertFalse(log, log.contains("error(-98)"));
                assertTrue("the process keeps running with no listener", w.process().isAlive());

                // fixing the file starts the listener in the running process
                int free = Ports.freePort();
                Websocksy.writeAtomically(deploy, "websocksy.listener-busy.cfg", "listen = 127.0.0.1\nport = " + free
                        + "\nbackend = z\n");
                Poll.until(START, "the corrected listener on " + free, () -> Ports.accepts(free));
                w.awaitLog("listener busy started after a configuration update", Duration.ofSeconds(10));
            }
        }
    }

    @Test
    public void commandLineUnresolvableListenAddressNamesTheOptionNotNull() throws Exception {
        int port = Ports.freePort();
        try (Websocksy w = Websocksy.start(work, deploy, "-Dwebsocksy.launch.wait=2", "-p", String.valueOf(port),
                "-l", "not.an.address.invalid", "-c", "host=tcp://127.0.0.1:1")) {
            assertEquals(w.log(), 2, w.awaitExit(Duration.ofSeconds(90)));
            assertEquals(w.log(), List.of("websocksy: argument 4 (-l not.an.address.invalid): listen = "
                    + "'not.an.address.invalid': cannot resolve the host name"), w.launcherLines());
        }
    }

    private static String line(Websocksy w, String text) {
        for (String l : w.log().split("\n")) {
            if (l.contains(text)) {
                return l;
            }
        }
        throw new AssertionError("no line with " + text);
    }
}
