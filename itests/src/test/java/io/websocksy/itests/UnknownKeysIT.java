package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.api.backend.Backend;
import io.websocksy.itests.support.Bridge;
import io.websocksy.itests.support.LogTail;
import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.RawHttp;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * Issue 13, defects 2 and 4: a misspelt key in any websocksy configuration file (listener, transport,
 * default backend, file backend) is an error naming the file, the key and the closest known key; it is
 * never silently ignored. A new configuration with one does not start (a listener shows as failed); a
 * running one keeps its previous configuration.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UnknownKeysIT extends BridgeTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    private BridgeAdmin admin;

    private final List<Path> written = new ArrayList<>();
    private LogTail log;

    @Override
    protected String[] framers() {
        return new String[] {"auto", "newline"};
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
                    .noneMatch(l -> l.name().startsWith("uk")));
        } finally {
            log.close();
        }
    }

    private Path deployDir() {
        return Paths.get(ctx.getProperty("felix.fileinstall.dir"));
    }

    private Path write(String fileName, String content) throws Exception {
        Websocksy.writeAtomically(deployDir(), fileName, content);
        Path p = deployDir().resolve(fileName);
        if (!written.contains(p) && !fileName.equals("websocksy.transport.cfg")) {
            written.add(p);
        }
        return p;
    }

    private Optional<ListenerInfo> listener(String name) {
        return admin.listeners().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    private boolean backendRuns(String name) {
        try {
            ServiceReference<?>[] r = ctx.getServiceReferences(Backend.class.getName(), "(" + Backend.NAME + "=" + name + ")");
            return r != null && r.length > 0;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void misspeltAllowedOriginsInANewListenerIsFailedWithTheSuggestion() throws Exception {
        String name = Bridge.uniqueName("uk");
        int port = Ports.freePort();
        Path file = write("websocksy.listener-" + name + ".cfg", "listen = 127.0.0.1\nport = " + port
                + "\nallowed-origin = https://app.example.com\n");
        Poll.until(WAIT, "listener " + name + " failed", () -> listener(name)
                .map(l -> l.state() == ListenerInfo.State.FAILED).orElse(false));
        assertEquals(Optional.of(file + " (websocksy.listener~" + name + "): allowed-origin = 'https://app.example.com': "
                + "unknown key (did you mean 'allowed-origins'?)"), listener(name).get().failure());
        log.await(WAIT, "listener " + name + " not started: " + file, "did you mean 'allowed-origins'?");
        assertFalse("a listener with an unknown key accepts nothing", Ports.accepts(port));
    }

    @Test
    public void misspeltKeyInARunningListenerKeepsThePreviousConfiguration() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        String backend = bridge.defaultBackend(echo.address());
        String name = Bridge.uniqueName("uk");
        int port = Ports.freePort();
        String good = "listen = 127.0.0.1\nport = " + port + "\nbackend = " + backend + "\nping = 0\n";
        Path file = write("websocksy.listener-" + name + ".cfg", good);
        Poll.until(WAIT, "listener on " + port, () -> Ports.accepts(port));

        write("websocksy.listener-" + name + ".cfg", good + "max-conections-per-ip = 1\n");
        String line = log.await(WAIT, "listener " + name + ": configuration rejected, previous one keeps serving: "
                + file + " (websocksy.listener~" + name + "): max-conections-per-ip = '1': unknown key "
                + "(did you mean 'max-connections-per-ip'?)");
        assertTrue(line, line.contains("ERROR"));
        // the previous configuration (no per-IP limit) still serves: two connections from one IP
        try (WsClient a = WsClient.connect(port, "/"); WsClient b = WsClient.connect(port, "/")) {
            b.sendText("both");
            assertEquals("both", b.nextMessage(Duration.ofSeconds(10)).string());
        }
        assertEquals(ListenerInfo.State.LISTENING, listener(name).get().state());
    }

    @Test
    public void misspeltKeyInANewDefaultBackendIsRejectedWithTheSuggestion() throws Exception {
        String name = Bridge.uniqueName("ukbe");
        Path file = write("websocksy.backend.default-" + name + ".cfg", "name = " + name
                + "\nhost = tcp://127.0.0.1:1\nframming = newline\n");
        log.await(WAIT, file + " (websocksy.backend.default~" + name + "): framming = 'newline': unknown key "
                + "(did you mean 'framing'?)");
        assertFalse("a backend with an unknown key does not start", backendRuns(name));
    }

    @Test
    public void misspeltKeyInARunningDefaultBackendKeepsThePreviousConfiguration() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        String name = Bridge.uniqueName("ukbe");
        String good = "name = " + name + "\nhost = " + echo.address() + "\n";
        Path file = write("websocksy.backend.default-" + name + ".cfg", good);
        Poll.until(WAIT, "backend " + name, () -> backendRuns(name));
        int port = bridge.listener(name);
        write("websocksy.backend.default-" + name + ".cfg", good.replace("host =", "hots ="));
        log.await(WAIT, file + " (websocksy.backend.default~" + name + "): hots = '" + echo.address()
                + "': unknown key (did you mean 'host'?); keeping the previous configuration");
        try (WsClient c = WsClient.connect(port, "/")) {
            c.sendText("still routed");
            assertEquals("still routed", c.nextMessage(Duration.ofSeconds(10)).string());
        }
    }

    @Test
    public void misspeltKeyInAFileBackendIsRejectedWithTheSuggestion() throws Exception {
        String name = Bridge.uniqueName("ukfb");
        Path file = write("websocksy.backend.file-" + name + ".cfg", "name = " + name + "\npath = "
                + deployDir() + "\nexpresion = %endpoint%.txt\n");
        log.await(WAIT, file + " (websocksy.backend.file~" + name + "): expresion = '%endpoint%.txt': unknown key "
                + "(did you mean 'expression'?)");
        assertFalse("a file backend with an unknown key does not start", backendRuns(name));
    }

    @Test
    public void misspeltKeyInTheTransportKeepsThePreviousConfiguration() throws Exception {
        Path file = deployDir().resolve("websocksy.transport.cfg");
        String original = Files.readString(file);
        try {
            int before = log.mark();
            write("websocksy.transport.cfg", original + "dns-timout = 100\n");
            log.await(WAIT, file + " (websocksy.transport): dns-timout = '100': unknown key (did you mean "
                    + "'dns-timeout'?); the previous transport configuration stays in force");
            // the same activation then starts the transport with the previous configuration
            log.awaitSince(before, WAIT, "NettyRuntime - transport: ");
        } finally {
            int mark = log.mark();
            write("websocksy.transport.cfg", original);
            // the restored file reactivates the transport (and with it every listener) once more: wait for it
            log.awaitSince(mark, WAIT, "NettyRuntime - transport: ");
        }
        // the bridge serves again with the restored file
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address()));
        assertEquals(101, RawHttp.exchange(port, RawHttp.Request.upgrade(port)).status);
    }
}
