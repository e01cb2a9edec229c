package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.UdpEchoPeer;
import io.websocksy.itests.support.UnixDgramEchoPeer;
import io.websocksy.itests.support.UnixStreamEchoPeer;
import io.websocksy.itests.support.WsClient;

/**
 * The assembled distribution, as a user runs it: {@code runtime/target/websocksy/bin/websocksy} started
 * as a separate process (headless, stdin not a terminal) with {@code .cfg} files in a deploy directory:
 * one listener and one default backend per transport. Checks {@code hello} round trips over tcp, udp,
 * unix and unix-dgram peers, then that SIGTERM closes every client with 1001 and the process exits.
 */
public class DistributionIT {
    private static final String[] TRANSPORTS = {"tcp", "udp", "unix", "udgram"};
    private static Process process;
    private static Path work;
    private static final List<AutoCloseable> PEERS = new ArrayList<>();
    private static final int[] PORTS = new int[TRANSPORTS.length];

    @BeforeClass
    public static void start() throws Exception {
        Path home = Paths.get(System.getProperty("websocksy.dist", "../runtime/target/websocksy")).toAbsolutePath();
        assertTrue("distribution missing at " + home, Files.isExecutable(home.resolve("bin/websocksy")));
        work = Files.createTempDirectory("websocksy-dist-it");
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        TcpPeer tcp = TcpPeer.echo();
        UdpEchoPeer udp = new UdpEchoPeer();
        UnixStreamEchoPeer unix = new UnixStreamEchoPeer();
        UnixDgramEchoPeer udgram = new UnixDgramEchoPeer();
        PEERS.add(tcp);
        PEERS.add(udp);
        PEERS.add(unix);
        PEERS.add(udgram);
        String[] hosts = {tcp.address(), udp.address(), unix.address(), udgram.address()};
        for (int i = 0; i < TRANSPORTS.length; i++) {
            PORTS[i] = Ports.freePort();
            write(deploy, "websocksy.listener-" + TRANSPORTS[i] + ".cfg", "listen = 127.0.0.1\nport = " + PORTS[i]
                    + "\nbackend = " + TRANSPORTS[i] + "\nping = 30\n");
            write(deploy, "websocksy.backend.default-" + TRANSPORTS[i] + ".cfg", "name = " + TRANSPORTS[i]
                    + "\nhost = " + hosts[i] + "\nframing = auto\n");
        }
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/websocksy").toString());
        pb.environment().put("WEBSOCKSY_DEPLOY", deploy.toString());
        pb.environment().put("WEBSOCKSY_ETC", Files.createDirectories(work.resolve("etc")).toString());
        pb.environment().put("WEBSOCKSY_OPTS", "-Dorg.osgi.framework.storage=" + work.resolve("cache"));
        pb.redirectErrorStream(true);
        pb.redirectOutput(work.resolve("websocksy.log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        process = pb.start();
        for (int port : PORTS) {
            Poll.until(Duration.ofSeconds(60), "listener on " + port + " (log: " + work.resolve("websocksy.log") + ")",
                    () -> Ports.accepts(port));
        }
    }

    private static void write(Path dir, String name, String content) throws Exception {
        Path tmp = dir.resolve(name + ".tmp");
        Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable p : PEERS) {
            p.close();
        }
    }

    @Test
    public void helloThroughEveryTransportThenSigtermCloses1001() throws Exception {
        List<WsClient> open = new ArrayList<>();
        for (int i = 0; i < TRANSPORTS.length; i++) {
            WsClient c = WsClient.connectWhenRouted(PORTS[i], "/", Duration.ofSeconds(60));
            open.add(c);
            c.sendText("hello");
            WsClient.Msg m = c.nextMessage(Duration.ofSeconds(10));
            assertTrue(TRANSPORTS[i] + ": expected a text message", m.text);
            assertEquals(TRANSPORTS[i], "hello", m.string());
        }
        // SIGTERM: every client gets close 1001, the process exits by itself
        process.destroy();
        for (int i = 0; i < open.size(); i++) {
            Object e = open.get(i).next(Duration.ofSeconds(10));
            assertTrue(TRANSPORTS[i] + ": expected a close, got " + e, e instanceof WsClient.Closed);
            assertEquals(TRANSPORTS[i], 1001, ((WsClient.Closed) e).code);
        }
        assertTrue("process did not exit after SIGTERM", process.waitFor(20, TimeUnit.SECONDS));
        String log = Files.readString(work.resolve("websocksy.log"));
        assertTrue(log, log.contains("listener tcp stopped"));
    }
}
