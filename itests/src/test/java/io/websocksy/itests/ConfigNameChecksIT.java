package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.itests.support.Bridge;
import io.websocksy.itests.support.LogTail;
import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;

/**
 * Issue 13, defect 3: names that only a running system can check ({@code framing}, {@code framing-config},
 * a listener's {@code backend}) are checked when the configuration is applied: a WARN names the file, the
 * key, the value and what is installed; the configuration is not rejected (the plug-in may come later).
 * The answers clients then get (503, 500) are logged at WARN.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigNameChecksIT extends BridgeTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    private BridgeAdmin admin;

    private final List<Path> written = new ArrayList<>();
    private LogTail log;

    @Override
    protected String[] framers() {
        return new String[] {"auto", "binary", "newline"};
    }

    @Before
    public void tail() {
        log = LogTail.start();
    }

    @After
    public void cleanUp() throws Exception {
        try {
            for (Path p : written) {
                Files.deleteIfExists(p);
            }
            Poll.until(WAIT, "the test's listeners to go away", () -> admin.listeners().stream()
                    .noneMatch(l -> l.name().startsWith("nc")));
        } finally {
            log.close();
        }
    }

    private Path write(String fileName, String content) throws Exception {
        Path dir = Paths.get(ctx.getProperty("felix.fileinstall.dir"));
        Websocksy.writeAtomically(dir, fileName, content);
        Path p = dir.resolve(fileName);
        written.add(p);
        return p;
    }

    @Test
    public void framerThatIsNotInstalledWarnsAtConfigurationTimeAndClientsGet503AtWarn() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        String name = Bridge.uniqueName("ncbe");
        Path file = write("websocksy.backend.default-" + name + ".cfg", "name = " + name + "\nhost = " + echo.address()
                + "\nframing = nosuch\n");
        String line = log.await(WAIT, file + " (websocksy.backend.default~" + name + "): framing = 'nosuch': no framer "
                + "of that name is installed (installed: ", "auto", "binary", "newline");
        assertTrue(line, line.contains("WARN"));
        int port = bridge.listener(name); // the backend was not rejected
        assertEquals(503, RawHttp.exchange(port, RawHttp.Request.upgrade(port)).status);
        String answer = log.await(WAIT, "-> 503 framer 'nosuch' is not installed");
        assertTrue(answer, answer.contains("WARN"));
    }

    @Test
    public void framingConfigTheFramerRejectsWarnsAtConfigurationTime() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        String name = Bridge.uniqueName("ncbe");
        Path file = write("websocksy.backend.default-" + name + ".cfg", "name = " + name + "\nhost = " + echo.address()
                + "\nframing = newline\nframing-config = bogus\n");
        String line = log.await(WAIT, file + " (websocksy.backend.default~" + name + "): framing-config = 'bogus': "
                + "newline: unknown line ending 'bogus'");
        assertTrue(line, line.contains("WARN"));
        int port = bridge.listener(name);
        assertEquals(500, RawHttp.exchange(port, RawHttp.Request.upgrade(port)).status);
        String answer = log.await(WAIT, "-> 500 framer 'newline' rejects config 'bogus'");
        assertTrue(answer, answer.contains("WARN"));
    }

    @Test
    public void backendNameNoBackendHasWarnsAtConfigurationTimeAndClientsGet503AtWarn() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        String running = bridge.defaultBackend(echo.address());
        String name = Bridge.uniqueName("nc");
        int port = Ports.freePort();
        Path file = write("websocksy.listener-" + name + ".cfg", "listen = 127.0.0.1\nport = " + port
                + "\nbackend = mian\n");
        String line = log.await(WAIT, file + " (websocksy.listener~" + name + "): backend = 'mian': no backend of that "
                + "name is running (running: ", running, "listener " + name + " answers 503 until one starts");
        assertTrue(line, line.contains("WARN"));
        assertEquals(ListenerInfo.State.LISTENING, admin.listeners().stream().filter(l -> l.name().equals(name))
                .findFirst().get().state());
        assertEquals(503, RawHttp.exchange(port, RawHttp.Request.upgrade(port)).status);
        String answer = log.await(WAIT, name, "-> 503 no backend named 'mian' is running");
        assertTrue(answer, answer.contains("WARN"));
    }
}
