package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.itests.support.Bridge;
import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * Issue 13, defect 1: a listener whose {@code .cfg} file is wrong at start (a bad value, an address that
 * cannot be bound) activates failed instead of ending in SCR's FAILED ACTIVATION; {@code BridgeAdmin} and
 * {@code websocksy:listeners} list it as {@code failed} with the error text, which names the file; saving a
 * corrected file starts it within the FileInstall poll. Files are written into the watched directory, as a
 * user does.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FailedListenerRecoversIT extends BridgeTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    private BridgeAdmin admin;
    @Inject
    private CommandProcessor processor;

    private Path written;

    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    @After
    public void removeFile() throws Exception {
        if (written != null) {
            Files.deleteIfExists(written);
            String name = listenerName(written);
            Poll.until(WAIT, "listener " + name + " to go away with its file",
                    () -> admin.listeners().stream().noneMatch(l -> l.name().equals(name)));
        }
    }

    private Path deployDir() {
        return Paths.get(ctx.getProperty("felix.fileinstall.dir"));
    }

    private static String listenerName(Path file) {
        String f = file.getFileName().toString();
        return f.substring("websocksy.listener-".length(), f.length() - ".cfg".length());
    }

    private Path writeListener(String name, String content) throws Exception {
        Websocksy.writeAtomically(deployDir(), "websocksy.listener-" + name + ".cfg", content);
        written = deployDir().resolve("websocksy.listener-" + name + ".cfg");
        return written;
    }

    private Optional<ListenerInfo> listener(String name) {
        return admin.listeners().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    private ListenerInfo awaitState(String name, ListenerInfo.State state) {
        Poll.until(WAIT, "listener " + name + " " + state.label() + " (now " + listener(name) + ")",
                () -> listener(name).map(l -> l.state() == state).orElse(false));
        return listener(name).get();
    }

    private String sh(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            s.execute(line);
        } finally {
            s.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String listenerCfg(int port, String backend, String extra) {
        return "listen = 127.0.0.1\nport = " + port + "\nbackend = " + backend + "\n" + extra;
    }

    private static void assertEchoes(int port, String text) throws Exception {
        try (WsClient c = WsClient.connect(port, "/")) {
            c.sendText(text);
            assertEquals(text, c.nextMessage(Duration.ofSeconds(10)).string());
        }
    }

    @Test
    public void badValueAtStartIsListedFailedAndTheCorrectedFileStartsIt() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        String backend = bridge.defaultBackend(echo.address());
        int port = Ports.freePort();
        String name = Bridge.uniqueName("three");
        Path file = writeListener(name, listenerCfg(port, backend, "ping = -1\n"));

        ListenerInfo failed = awaitState(name, ListenerInfo.State.FAILED);
        String why = failed.failure().orElse("");
        assertTrue(why, why.startsWith(file + " (websocksy.listener~" + name + "): ping = '-1': out of range 0-86400"));
        assertEquals("127.0.0.1:" + port, failed.address());
        assertFalse("a failed listener binds nothing", Ports.accepts(port));

        String table = sh("websocksy:listeners");
        assertTrue(table, table.matches("(?s).*\\n" + name + " +failed +127\\.0\\.0\\.1:" + port + " .*"));
        assertTrue(table, table.contains(name + " failed: " + why + "\n"));

        writeListener(name, listenerCfg(port, backend, "ping = 5\n"));
        awaitState(name, ListenerInfo.State.LISTENING);
        Poll.until(WAIT, "port " + port + " to accept", () -> Ports.accepts(port));
        assertEquals(Optional.empty(), listener(name).get().failure());
        assertEchoes(port, "started by the corrected file");
    }

    @Test
    public void portInUseIsFailedAndAFileWithAFreePortStartsIt() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        String backend = bridge.defaultBackend(echo.address());
        String name = Bridge.uniqueName("busy");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.LOOPBACK, 0));
            int busy = taken.getLocalPort();
            Path file = writeListener(name, listenerCfg(busy, backend, "ping = 0\n"));
            ListenerInfo failed = awaitState(name, ListenerInfo.State.FAILED);
            assertEquals(Optional.of(file + " (websocksy.listener~" + name + "): cannot listen on 127.0.0.1 port " + busy
                    + ": address already in use"), failed.failure());

            int free = Ports.freePort();
            writeListener(name, listenerCfg(free, backend, "ping = 0\n"));
            awaitState(name, ListenerInfo.State.LISTENING);
            Poll.until(WAIT, "port " + free + " to accept", () -> Ports.accepts(free));
            assertEchoes(free, "after the move to a free port");
        }
    }

    @Test
    public void failedListenerCannotBeDrainedAndTheErrorSaysWhy() throws Exception {
        String name = Bridge.uniqueName("nodrain");
        writeListener(name, listenerCfg(Ports.freePort(), "main", "ping = abc\n"));
        awaitState(name, ListenerInfo.State.FAILED);
        try {
            admin.drain(name, Duration.ZERO);
            throw new AssertionError("drain of a failed listener succeeded");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("listener " + name + " is failed: "));
            assertTrue(e.getMessage(), e.getMessage().contains("ping = 'abc': not a whole number"));
        }
    }
}
