package io.websocksy.testing;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made with the JDK's {@code keytool} (no certificate API in the JDK): a CA, and
 * leaf certificates it signs, written as PEM files (chain, PKCS#8 key) the way an operator gets them.
 */
public final class TestPki {
    static final char[] PASS = "changeit".toCharArray();
    final Path dir;
    public final File caPem;
    public final X509Certificate ca;

    /** One signed leaf: its PEM files and the objects. */
    public static final class Leaf {
        public final File chainPem;
        public final File keyPem;
        public final PrivateKey key;
        public final X509Certificate cert;

        Leaf(File chainPem, File keyPem, PrivateKey key, X509Certificate cert) {
            this.chainPem = chainPem;
            this.keyPem = keyPem;
            this.key = key;
            this.cert = cert;
        }
    }

    public TestPki(Path dir, String caName) throws Exception {
        this.dir = dir;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + caName,
                "-ext", "bc:c", "-validity", "3", "-keystore", store("ca"), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        caPem = dir.resolve("ca.pem").toFile();
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store("ca"), "-storepass", "changeit",
                "-file", caPem.getPath());
        ca = readCert(caPem);
    }

    private String store(String name) {
        return dir.resolve(name + ".p12").toString();
    }

    /**
     * @param name file name stem and CN
     * @param keyalg RSA or EC
     * @param client true for a client certificate, else a server certificate for localhost/127.0.0.1/::1
     * @return the leaf, chain PEM = leaf + CA, key PEM = PKCS#8
     */
    public Leaf leaf(String name, String keyalg, boolean client) throws Exception {
        List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg", keyalg, "-dname",
                "CN=" + name, "-validity", "3", "-keystore", store(name), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit"));
        if (keyalg.equals("EC")) {
            gen.addAll(List.of("-groupname", "secp256r1"));
        } else {
            gen.addAll(List.of("-keysize", "2048"));
        }
        keytool(gen.toArray(new String[0]));
        Path csr = dir.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-keystore", store(name), "-storepass", "changeit",
                "-file", csr.toString());
        Path crt = dir.resolve(name + ".crt");
        keytool("-gencert", "-alias", "ca", "-keystore", store("ca"), "-storepass", "changeit", "-rfc",
                "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "3",
                "-ext", client ? "eku=clientAuth" : "san=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1",
                "-ext", client ? "ku=digitalSignature" : "eku=serverAuth");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store(name))) {
            ks.load(in, PASS);
        }
        PrivateKey key = (PrivateKey) ks.getKey(name, PASS);
        File chain = dir.resolve(name + "-chain.pem").toFile();
        String leafPem = Files.readString(crt, StandardCharsets.US_ASCII);
        Files.writeString(chain.toPath(), leafPem.trim() + "\n" + Files.readString(caPem.toPath()).trim() + "\n");
        File keyFile = dir.resolve(name + "-key.pem").toFile();
        Files.writeString(keyFile.toPath(), pem("PRIVATE KEY", key.getEncoded()));
        return new Leaf(chain, keyFile, key, readCert(crt.toFile()));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static X509Certificate readCert(File f) throws Exception {
        try (InputStream in = new FileInputStream(f)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Replaces {@code target} with {@code source} atomically (write beside, then rename), as operators should. */
    public static void replace(File source, File target) throws IOException {
        Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
        Files.copy(source.toPath(), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return a client context trusting this CA, presenting {@code clientCert} when not null */
    public SSLContext clientContext(Leaf clientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", clientCert.key, PASS, new Certificate[] {clientCert.cert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASS);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-Duser.language=en");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
