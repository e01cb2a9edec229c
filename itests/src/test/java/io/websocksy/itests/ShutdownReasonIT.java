package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * Issue 13, defect 7: SIGTERM closes clients with 1001 {@code server shutting down}, also when their
 * backend uses a plug-in framer from the deploy directory (which the framework would stop before the
 * bridge): the listeners stop first.
 */
public class ShutdownReasonIT {
    private Path work;
    private Path deploy;
    private TcpPeer echo;

    @Before
    public void setUp() throws Exception {
        work = Files.createTempDirectory("websocksy-shutdown-it");
        deploy = Files.createDirectories(work.resolve("deploy"));
        echo = TcpPeer.echo();
    }

    @After
    public void tearDown() throws Exception {
        echo.close();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void sigtermClosesClientsOfAPluginFramerWith1001ServerShuttingDown() throws Exception {
        Path plugin;
        try (Stream<Path> shipped = Files.list(Websocksy.home().resolve("deploy"))) {
            plugin = shipped.filter(p -> p.getFileName().toString().startsWith("io.websocksy.framer.json"))
                    .findFirst().orElseThrow(() -> new AssertionError("no json framer plug-in in the distribution"));
        }
        Files.copy(plugin, deploy.resolve(plugin.getFileName()));
        int port = Ports.freePort();
        Websocksy.writeAtomically(deploy, "websocksy.listener-sd.cfg", "listen = 127.0.0.1\nport = " + port
                + "\nbackend = sd\nping = 0\n");
        Websocksy.writeAtomically(deploy, "websocksy.backend.default-sd.cfg", "name = sd\nhost = " + echo.address()
                + "\nframing = json\n");
        try (Websocksy w = Websocksy.start(work, deploy, null)) {
            Poll.until(Duration.ofSeconds(60), "listener on " + port + " (log " + w.logFile() + ")",
                    () -> Ports.accepts(port));
            WsClient c = null;
            // the backend and the json framer may register a moment after the listener binds (503 meanwhile):
            // retry until a message echoes
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c == null) {
                WsClient attempt;
                try {
                    attempt = WsClient.connect(port, "/");
                } catch (java.util.concurrent.ExecutionException refused) {
                    assertTrue("no upgrade: " + refused + "\n" + w.log(), System.nanoTime() < deadline);
                    Thread.sleep(200);
                    continue;
                }
                attempt.sendText("{\"a\":1}");
                Object e = attempt.next(Duration.ofSeconds(10));
                if (e instanceof WsClient.Msg) {
                    c = attempt; // the json framer cut the echo into a message: the plug-in serves this client
                } else {
                    attempt.close();
                    assertTrue("no echo through the json framer: " + e + "\n" + w.log(), System.nanoTime() < deadline);
                    Thread.sleep(200);
                }
            }
            w.process().destroy(); // SIGTERM
            Object e = c.next(Duration.ofSeconds(30));
            assertTrue("expected a close, got " + e + "\n" + w.log(), e instanceof WsClient.Closed);
            WsClient.Closed closed = (WsClient.Closed) e;
            assertEquals(w.log(), 1001, closed.code);
            assertEquals(w.log(), "server shutting down", closed.reason);
            w.awaitExit(Duration.ofSeconds(60));
            assertTrue(w.log(), w.log().contains("shutting down: stopping 1 listeners before the framers and backends"));
        }
    }
}
