package io.websocksy.bridge.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.handler.ssl.SslContext;
import io.websocksy.testing.TestPki;

/** PEM loading (PKCS#8 RSA and EC), key/certificate checks and reload on change. */
class TlsContextHolderTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Leaf rsa;
    static TestPki.Leaf ec;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki(dir, "Unit CA");
        rsa = pki.leaf("rsa", "RSA", false);
        ec = pki.leaf("ec", "EC", false);
    }

    private static TlsFiles cfg(File cert, File key, File ca) {
        return new TlsFiles(cert, key, ca, "jdk", 0);
    }

    @Test
    void loadsRsaAndEcPkcs8WithTls12And13Only() {
        for (TestPki.Leaf l : new TestPki.Leaf[] {rsa, ec}) {
            SslContext c = TlsContextHolder.load(cfg(l.chainPem, l.keyPem, null));
            assertTrue(c.isServer());
            try (TlsContextHolder h = new TlsContextHolder("t", cfg(l.chainPem, l.keyPem, pki.caPem), null)) {
                assertTrue(h.description().contains("CN=" + (l == rsa ? "rsa" : "ec")), h.description());
                assertTrue(h.description().contains("client certificates required"));
                javax.net.ssl.SSLEngine engine = h.current().newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
                assertEquals(java.util.Set.of("TLSv1.3", "TLSv1.2"), java.util.Set.of(engine.getEnabledProtocols()));
                assertTrue(engine.getNeedClientAuth());
            }
        }
    }

    @Test
    void badFilesAreNamed() throws Exception {
        assertMessage(() -> TlsContextHolder.load(cfg(rsa.chainPem, ec.keyPem, null)), "is a EC key but");
        TestPki.Leaf other = pki.leaf("other", "RSA", false);
        assertMessage(() -> TlsContextHolder.load(cfg(rsa.chainPem, other.keyPem, null)), "does not belong");
        assertMessage(() -> TlsContextHolder.load(cfg(new File(dir.toFile(), "missing.pem"), rsa.keyPem, null)),
                "cannot read");
        File pkcs1 = dir.resolve("pkcs1.pem").toFile();
        Files.writeString(pkcs1.toPath(), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertMessage(() -> TlsContextHolder.load(cfg(rsa.chainPem, pkcs1, null)), "PKCS#1/SEC1");
        assertMessage(() -> TlsContextHolder.load(cfg(rsa.keyPem, rsa.keyPem, null)), "no PEM certificate");
        File garbage = dir.resolve("garbage.pem").toFile();
        Files.writeString(garbage.toPath(), "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n");
        assertMessage(() -> TlsContextHolder.load(cfg(garbage, rsa.keyPem, null)), "base64");
        assertMessage(() -> TlsContextHolder.provider("boring"), "expected auto, jdk or openssl");
    }

    @Test
    void providerNameSaysWhichProviderAndWhyNotOpenSsl() {
        assertEquals("jdk provider", TlsContextHolder.providerName("jdk"));
        if (io.netty.handler.ssl.OpenSsl.isAvailable()) {
            assertTrue(TlsContextHolder.providerName("auto").startsWith("openssl provider, "));
            assertTrue(TlsContextHolder.providerName("openssl").startsWith("openssl provider, "));
        } else { // the bridge's test class path has no netty-tcnative
            String auto = TlsContextHolder.providerName("auto");
            assertTrue(auto.startsWith("jdk provider; openssl not available: "), auto);
            assertMessage(() -> TlsContextHolder.providerName("openssl"), "netty-tcnative is not available");
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage() + " should contain " + part);
    }

    @Test
    void reloadSwapsOnChangeAndKeepsTheOldContextOnFailure() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        File cert = live.resolve("cert.pem").toFile();
        File key = live.resolve("key.pem").toFile();
        TestPki.replace(rsa.chainPem, cert);
        TestPki.replace(rsa.keyPem, key);
        try (TlsContextHolder h = new TlsContextHolder("t", cfg(cert, key, null), null)) {
            SslContext first = h.current();
            h.poll();
            assertSame(first, h.current(), "unchanged files: same context");
            // a half-done replacement (certificate first) keeps the old context
            TestPki.replace(ec.chainPem, cert);
            cert.setLastModified(System.currentTimeMillis() + 2000);
            h.poll();
            assertSame(first, h.current());
            assertTrue(h.description().contains("CN=rsa"), "describes the context in use: " + h.description());
            TestPki.replace(ec.keyPem, key);
            key.setLastModified(System.currentTimeMillis() + 4000);
            h.poll();
            assertNotSame(first, h.current());
            assertTrue(h.description().contains("CN=ec"), h.description());
        }
    }

    /** The reload check runs on the scheduler it is given (the runtime's shared one), and stops on close. */
    @Test
    void reloadRunsOnTheSharedScheduler() throws Exception {
        Path live = Files.createDirectories(dir.resolve("scheduled"));
        File cert = live.resolve("cert.pem").toFile();
        File key = live.resolve("key.pem").toFile();
        TestPki.replace(rsa.chainPem, cert);
        TestPki.replace(rsa.keyPem, key);
        java.util.concurrent.ScheduledExecutorService shared = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        try (TlsContextHolder h = new TlsContextHolder("t", new TlsFiles(cert, key, null, "jdk", 1), shared)) {
            TestPki.replace(ec.chainPem, cert);
            TestPki.replace(ec.keyPem, key);
            cert.setLastModified(System.currentTimeMillis() + 2000);
            key.setLastModified(System.currentTimeMillis() + 2000);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!h.description().contains("CN=ec") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(h.description().contains("CN=ec"), h.description());
        } finally {
            shared.shutdownNow();
        }
    }
}
