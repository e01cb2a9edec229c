package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Bridge;
import io.websocksy.itests.support.LogTail;
import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * A backend whose {@code .cfg} file holds a bad value at start is logged once (file, key and cause) and
 * does not end in SCR's FAILED ACTIVATION: it publishes no backend service (its listener answers 503),
 * and saving the corrected file starts it within the FileInstall poll. Files are written into the
 * watched directory, as a user does.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FailedBackendRecoversIT extends BridgeTestBase {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path written;

    @Override
    protected String[] framers() {
        return new String[] {"binary"};
    }

    @After
    public void removeFile() throws Exception {
        if (written != null) {
            Files.deleteIfExists(written);
        }
    }

    private Path deployDir() {
        return Paths.get(ctx.getProperty("felix.fileinstall.dir"));
    }

    private Path writeBackend(String name, String content) throws Exception {
        String file = "websocksy.backend.default-" + name + ".cfg";
        Websocksy.writeAtomically(deployDir(), file, content);
        written = deployDir().resolve(file);
        return written;
    }

    private static String backendCfg(String name, TcpPeer peer, String proxy) {
        return "name = " + name + "\nhost = " + peer.address() + "\nframing = binary\npeer-proxy-protocol = " + proxy + "\n";
    }

    @Test
    public void badValueAtStartIsLoggedOnceAndTheCorrectedFileStartsTheBackend() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        String name = Bridge.uniqueName("bk");
        int port = bridge.listener(name);
        try (LogTail log = LogTail.start()) {
            Path file = writeBackend(name, backendCfg(name, echo, "bogus"));
            String expected = "default backend not started: " + file + " (websocksy.backend.default~" + name
                    + "): peer-proxy-protocol = 'bogus': ";
            log.await(WAIT, expected);

            // failed: no backend service, so the listener refuses the handshake as for a missing backend
            RawHttp.Response r = RawHttp.exchange(port, RawHttp.Request.upgrade(port));
            assertEquals(r.statusLine, 503, r.status);

            writeBackend(name, backendCfg(name, echo, "off"));
            AtomicReference<WsClient> routed = new AtomicReference<>();
            Poll.until(WAIT, "the corrected backend " + name + " to route a handshake", () -> {
                try {
                    routed.set(WsClient.connect(port, "/"));
                    return true;
                } catch (Exception notYet) {
                    return false;
                }
            });
            try (WsClient c = routed.get()) {
                c.sendText("started by the corrected file");
                assertEquals("started by the corrected file", c.nextMessage(Duration.ofSeconds(10)).string());
            }
            log.await(WAIT, name + ": default backend started after a configuration update");

            List<String> lines = log.lines("'bogus'");
            assertEquals("one log line for the bad value, not a second one from SCR: " + lines, 1, lines.size());
            assertTrue(log.lines("FAILED", name).isEmpty());
        }
    }
}
