package io.websocksy.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * The TLS material of one bench run: a self-signed EC P-256 certificate for 127.0.0.1 made by the JDK's
 * {@code keytool} in {@code run/tls/}, written as the PEM chain and PKCS#8 key the bridge's TLS listeners
 * read, and the load generator's client context that trusts exactly that certificate.
 *
 * <p>The client is the same for both server providers, so the provider of the listener is the only
 * difference between the {@code wss-jdk} and {@code wss-openssl} targets: it uses OpenSSL (netty-tcnative, on
 * the bench's class path) when available, else the JDK, offers TLS 1.3 only, and never resumes a session,
 * so every churn cycle pays a full handshake (ECDHE X25519 + ECDSA P-256). Both servers should settle on
 * {@code TLS_AES_128_GCM_SHA256} (the browsers' first choice): BoringSSL, which cannot restrict TLS 1.3
 * suites, offers it first; the JDK client is restricted to it (its default order starts with AES-256, which
 * the BoringSSL server would follow while the JDK server picks AES-128). The report shows what each target
 * negotiated.
 */
final class BenchTls {
    static final String CIPHER = "TLS_AES_128_GCM_SHA256";
    static final String PROTOCOL = "TLSv1.3";

    final Path certificatePem;
    final Path keyPem;
    final SslContext client;
    final String clientProvider;

    private BenchTls(Path certificatePem, Path keyPem, SslContext client, String clientProvider) {
        this.certificatePem = certificatePem;
        this.keyPem = keyPem;
        this.client = client;
        this.clientProvider = clientProvider;
    }

    /**
     * @param dir where the keystore and the PEM files go (created)
     * @return the material
     * @throws Exception when keytool fails or the files cannot be written
     */
    static BenchTls create(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path p12 = dir.resolve("bench.p12");
        Files.deleteIfExists(p12);
        char[] pass = "websocksy-bench".toCharArray();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "bench", "-keyalg", "EC",
                "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=" + Net.LOOPBACK,
                "-ext", "san=ip:" + Net.LOOPBACK + ",dns:localhost", "-validity", "7", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", new String(pass), "-keypass", new String(pass))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            throw new IllegalStateException("keytool failed: " + out.trim());
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, pass);
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate("bench");
        PrivateKey key = (PrivateKey) ks.getKey("bench", pass);
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded())); // getEncoded() of a private key: PKCS#8
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        SslContext client = clientContext(cert, provider);
        String name = provider == SslProvider.OPENSSL ? "openssl (" + OpenSsl.versionString() + ")"
                : "jdk (openssl not available: " + OpenSsl.unavailabilityCause() + ")";
        return new BenchTls(certPem, keyPem, client, name);
    }

    private static SslContext clientContext(X509Certificate trusted, SslProvider provider) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider).trustManager(trusted)
                .protocols(PROTOCOL);
        if (provider == SslProvider.JDK) {
            b.ciphers(List.of(CIPHER));
        }
        return b.build();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** @return the listener lines that make a listener serve wss:// with this certificate and {@code provider} */
    String listenerLines(String provider) {
        return "tls-certificate = " + certificatePem + "\ntls-key = " + keyPem + "\ntls-provider = " + provider
                + "\ntls-reload-interval = 0\n";
    }
}
