package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.SockWs;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.TestPki;

/**
 * SPEC 9, TLS on a listener: {@code wss://} handshake and echo with a CA made in the test, client
 * certificates required and refused, and a certificate replaced on disk while running.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TlsIT extends BridgeTestBase {
    private static Path dir;
    private static TestPki pki;
    private static TestPki.Leaf server;
    private static TestPki.Leaf renewed;
    private static TestPki.Leaf client;
    private static TestPki.Leaf stranger;

    @Override
    protected String[] framers() {
        return new String[] {"auto"};
    }

    /**
     * Made once for the class. Pax Exam runs each test method as its own JUnit run inside the
     * container, so {@code @BeforeClass} comes once per method; the PKI (a dozen keytool processes)
     * is kept in the probe's statics and removed when the container's JVM exits.
     */
    @BeforeClass
    public static synchronized void makePki() throws Exception {
        if (pki != null && Files.isDirectory(dir)) {
            return;
        }
        dir = Files.createTempDirectory("websocksy-tls-it");
        Path made = dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> removeTree(made)));
        pki = new TestPki(dir, "IT CA");
        server = pki.leaf("server", "RSA", false);
        renewed = pki.leaf("renewed", "EC", false);
        client = pki.leaf("client", "EC", true);
        TestPki other = new TestPki(Files.createDirectories(dir.resolve("other")), "Other CA");
        stranger = other.leaf("stranger", "RSA", true);
    }

    private static void removeTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort at JVM exit
        }
    }

    private static String subject(SSLSocket s) throws IOException {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    @Test
    public void wssHandshakeAndEchoWithPkcs8Keys() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        for (TestPki.Leaf leaf : new TestPki.Leaf[] {server, renewed}) {   // RSA, then EC
            int port = bridge.listener(bridge.defaultBackend(echo.address()), "tls-certificate", leaf.chainPem.getPath(),
                    "tls-key", leaf.keyPem.getPath());
            try (SSLSocket s = SockWs.tls(pki.clientContext(null), port)) {
                String head = SockWs.exchange(s, SockWs.upgrade("/tls"));
                assertTrue(head, head.startsWith("HTTP/1.1 101"));
                assertEquals("hello over wss", SockWs.echo(s, "hello over wss"));
                assertTrue(s.getSession().getProtocol(), s.getSession().getProtocol().matches("TLSv1\\.[23]"));
            }
            try (Socket p = SockWs.plain(port)) {
                String head = SockWs.exchange(p, SockWs.upgrade("/plain"));
                assertFalse("plain HTTP on a TLS listener gets no HTTP answer: " + head, head.startsWith("HTTP/"));
            }
        }
    }

    @Test
    public void tls11IsRefused() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address()), "tls-certificate", server.chainPem.getPath(),
                "tls-key", server.keyPem.getPath());
        try (SSLSocket s = SockWs.tls(pki.clientContext(null), port)) {
            s.setEnabledProtocols(new String[] {"TLSv1.1"});
            s.startHandshake();
            fail("TLS 1.1 handshake succeeded");
        } catch (IOException | IllegalArgumentException expected) {
            // refused by the server, or TLS 1.1 disabled in this JDK's client as well
        }
    }

    @Test
    public void clientCertificateRequiredAndRefused() throws Exception {
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address()), "tls-certificate", server.chainPem.getPath(),
                "tls-key", server.keyPem.getPath(), "tls-client-ca", pki.caPem.getPath());
        try (SSLSocket s = SockWs.tls(pki.clientContext(client), port)) {
            assertTrue(SockWs.exchange(s, SockWs.upgrade("/cert")).startsWith("HTTP/1.1 101"));
            assertEquals("with a certificate", SockWs.echo(s, "with a certificate"));
        }
        int before = echo.acceptedSettled(0);
        for (TestPki.Leaf bad : new TestPki.Leaf[] {null, stranger}) {
            try (SSLSocket s = SockWs.tls(pki.clientContext(bad), port)) {
                // with TLS 1.3 the server's refusal can arrive after the client thinks the handshake is done
                String head = SockWs.exchange(s, SockWs.upgrade("/nocert"));
                assertFalse(head, head.startsWith("HTTP/"));
            } catch (IOException expected) {
                // handshake_failure / certificate_required alert
            }
        }
        assertEquals("the peer is never contacted for a refused client", before, echo.accepted());
    }

    @Test
    public void replacedCertificateIsUsedByNewConnections() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live-" + System.nanoTime()));
        Path cert = live.resolve("cert.pem");
        Path key = live.resolve("key.pem");
        TestPki.replace(server.chainPem, cert.toFile());
        TestPki.replace(server.keyPem, key.toFile());
        TcpPeer echo = bridge.track(TcpPeer.echo());
        int port = bridge.listener(bridge.defaultBackend(echo.address()), "tls-certificate", cert.toString(),
                "tls-key", key.toString(), "tls-reload-interval", "1");
        try (SSLSocket old = SockWs.tls(pki.clientContext(null), port)) {
            assertTrue(SockWs.exchange(old, SockWs.upgrade("/old")).startsWith("HTTP/1.1 101"));
            assertEquals("CN=server", subject(old));
            TestPki.replace(renewed.keyPem, key.toFile());
            TestPki.replace(renewed.chainPem, cert.toFile());
            Poll.until(Duration.ofSeconds(30), "a new connection sees the renewed certificate", () -> {
                try (SSLSocket s = SockWs.tls(pki.clientContext(null), port)) {
                    s.startHandshake();
                    return subject(s).equals("CN=renewed");
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals("the open connection continues", "still open", SockWs.echo(old, "still open"));
        }
        try (SSLSocket s = SockWs.tls(pki.clientContext(null), port)) {
            assertTrue(SockWs.exchange(s, SockWs.upgrade("/new")).startsWith("HTTP/1.1 101"));
            assertEquals("CN=renewed", subject(s));
            assertEquals("renewed", SockWs.echo(s, "renewed"));
        }
    }
}
