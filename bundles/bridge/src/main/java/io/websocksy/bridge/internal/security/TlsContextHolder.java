package io.websocksy.bridge.internal.security;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

/**
 * A listener's TLS server context from PEM files (SPEC 9): {@code tls-certificate} (the chain, leaf
 * first), {@code tls-key} (PKCS#8 {@code BEGIN PRIVATE KEY}, RSA, EC or EdDSA, unencrypted) and the
 * optional {@code tls-client-ca} (CA bundle: a client certificate is then required and verified).
 * TLS 1.3 and 1.2 only. The key is checked against the certificate before use. A daemon thread polls
 * the files' modification time and size every {@code tls-reload-interval} seconds; on a change it
 * loads them again (off the event loops) and swaps the context: new connections get the new
 * certificate, open ones keep theirs. A reload that fails keeps the previous context and logs why.
 */
public final class TlsContextHolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContextHolder.class);
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** The TLS settings of a listener: files, provider and reload interval. Immutable. */
    public static final class Config {
        final File certificate;
        final File key;
        final File clientCa;
        final String provider;
        final int reloadSeconds;

        public Config(File certificate, File key, File clientCa, String provider, int reloadSeconds) {
            this.certificate = certificate;
            this.key = key;
            this.clientCa = clientCa;
            this.provider = provider;
            this.reloadSeconds = reloadSeconds;
        }

        @Override
        public String toString() {
            return "tls-certificate=" + certificate + " tls-key=" + key
                    + (clientCa == null ? "" : " tls-client-ca=" + clientCa) + " tls-provider=" + provider
                    + " tls-reload-interval=" + reloadSeconds;
        }
    }

    private final String listener;
    private final Config cfg;
    private final AtomicReference<SslContext> context = new AtomicReference<>();
    private final ScheduledExecutorService poller;
    private volatile String stamp;
    private volatile String description;

    /**
     * Loads the files now (the caller's thread: activation, never an event loop).
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public TlsContextHolder(String listener, Config cfg) {
        this.listener = listener;
        this.cfg = cfg;
        stamp = stamp();
        context.set(load(cfg));
        description = describe(cfg);
        if (cfg.reloadSeconds > 0) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "websocksy-tls-reload-" + listener);
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::poll, cfg.reloadSeconds, cfg.reloadSeconds, TimeUnit.SECONDS);
        } else {
            poller = null;
        }
    }

    /** @return a handler for a new connection, using the current context */
    public SslHandler newHandler(ByteBufAllocator alloc, long handshakeTimeoutMillis) {
        SslHandler h = context.get().newHandler(alloc);
        h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return h;
    }

    /** @return the current context */
    SslContext current() {
        return context.get();
    }

    /** @return subject, expiry and provider of the certificate in use */
    public String description() {
        return description;
    }

    /** Checks the files now (the poller does this on its own; tests call it directly). */
    void poll() {
        String now;
        try {
            now = stamp();
        } catch (RuntimeException e) {
            return;
        }
        if (now.equals(stamp)) {
            return;
        }
        stamp = now; // a failed load is retried only when the files change again
        try {
            SslContext next = load(cfg);
            context.set(next);
            description = describe(cfg);
            LOG.info("listener {}: TLS files changed, new connections use {}", listener, description);
        } catch (IllegalArgumentException e) {
            LOG.error("listener {}: TLS reload failed, previous certificate stays in use: {}", listener, e.getMessage());
        }
    }

    private String stamp() {
        StringBuilder sb = new StringBuilder();
        for (File f : new File[] {cfg.certificate, cfg.key, cfg.clientCa}) {
            if (f != null) {
                sb.append(f.lastModified()).append('/').append(f.length()).append(';');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- loading

    /**
     * @return a server context from the PEM files
     * @throws IllegalArgumentException naming the file and the problem
     */
    static SslContext load(Config cfg) {
        List<X509Certificate> chain = certificates(cfg.certificate, "tls-certificate");
        PrivateKey key = privateKey(cfg.key);
        checkPair(chain.get(0), key, cfg);
        for (X509Certificate c : chain) {
            try {
                c.checkValidity();
            } catch (GeneralSecurityException e) {
                LOG.warn("tls-certificate {}: certificate '{}' is not valid now: {}", cfg.certificate,
                        c.getSubjectX500Principal(), e.getMessage());
            }
        }
        SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .sslProvider(provider(cfg.provider))
                .protocols(PROTOCOLS);
        if (cfg.clientCa != null) {
            List<X509Certificate> cas = certificates(cfg.clientCa, "tls-client-ca");
            b.trustManager(cas.toArray(new X509Certificate[0])).clientAuth(ClientAuth.REQUIRE);
        }
        try {
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot build the TLS context from " + cfg.certificate + " and "
                    + cfg.key + ": " + e.getMessage(), e);
        }
    }

    /** @return the provider: {@code jdk}, {@code openssl} (tcnative, must be available), {@code auto} */
    static SslProvider provider(String name) {
        switch (name) {
            case "jdk":
                return SslProvider.JDK;
            case "openssl":
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalArgumentException("tls-provider = openssl but netty-tcnative is not available: "
                            + OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            case "auto":
                return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            default:
                throw new IllegalArgumentException("tls-provider = '" + name + "': expected auto, jdk or openssl");
        }
    }

    private static String describe(Config cfg) {
        List<X509Certificate> chain = certificates(cfg.certificate, "tls-certificate");
        X509Certificate leaf = chain.get(0);
        return "certificate '" + leaf.getSubjectX500Principal().getName() + "' valid until " + leaf.getNotAfter()
                .toInstant() + " (" + providerName(cfg.provider)
                + (cfg.clientCa == null ? "" : ", client certificates required") + ")";
    }

    /**
     * @return the provider in use as the log names it: {@code openssl provider (BoringSSL ...)}, {@code jdk provider},
     *         and for {@code auto} without tcnative also why OpenSSL is not available
     */
    static String providerName(String configured) {
        SslProvider p = provider(configured);
        if (p == SslProvider.OPENSSL) {
            return "openssl provider, " + OpenSsl.versionString();
        }
        if ("auto".equals(configured)) {
            Throwable why = OpenSsl.unavailabilityCause();
            return "jdk provider; openssl not available: " + (why == null ? "unknown" : why.toString());
        }
        return "jdk provider";
    }

    /** @return the PEM blocks of {@code type} ({@code CERTIFICATE}, {@code PRIVATE KEY}) as DER */
    static List<byte[]> pemBlocks(String text, String type) {
        List<byte[]> out = new ArrayList<>();
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int at = 0;
        while ((at = text.indexOf(begin, at)) >= 0) {
            int stop = text.indexOf(end, at);
            if (stop < 0) {
                throw new IllegalArgumentException("'" + begin + "' without '" + end + "'");
            }
            String body = text.substring(at + begin.length(), stop).replaceAll("\\s", "");
            try {
                out.add(Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad base64 in a " + type + " block: " + e.getMessage());
            }
            at = stop + end.length();
        }
        return out;
    }

    private static String read(File f, String key) {
        try {
            return new String(Files.readAllBytes(f.toPath()), StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(key + " " + f + ": cannot read: " + e);
        }
    }

    static List<X509Certificate> certificates(File f, String key) {
        String text = read(f, key);
        List<byte[]> blocks;
        try {
            blocks = pemBlocks(text, "CERTIFICATE");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + f + ": " + e.getMessage());
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(key + " " + f + ": no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks) {
                Certificate c = cf.generateCertificate(new ByteArrayInputStream(der));
                out.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " " + f + ": not an X.509 certificate: " + e.getMessage());
        }
        return out;
    }

    static PrivateKey privateKey(File f) {
        String text = read(f, "tls-key");
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException("tls-key " + f + ": encrypted keys are not supported; decrypt with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        }
        List<byte[]> blocks;
        try {
            blocks = pemBlocks(text, "PRIVATE KEY");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tls-key " + f + ": " + e.getMessage());
        }
        if (blocks.isEmpty()) {
            String hint = text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")
                    ? "; this is a PKCS#1/SEC1 key, convert it with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out "
                    + "key-pkcs8.pem'" : "";
            throw new IllegalArgumentException("tls-key " + f + ": no PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)" + hint);
        }
        if (blocks.size() > 1) {
            throw new IllegalArgumentException("tls-key " + f + ": " + blocks.size() + " keys, expected one");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.get(0));
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("tls-key " + f + ": not an RSA, EC or EdDSA PKCS#8 key");
    }

    /** Signs random bytes with the key and verifies with the certificate: they must belong together. */
    private static void checkPair(X509Certificate cert, PrivateKey key, Config cfg) {
        PublicKey pub = cert.getPublicKey();
        if (!pub.getAlgorithm().equals(key.getAlgorithm())
                && !(pub.getAlgorithm().startsWith("Ed") && key.getAlgorithm().startsWith("Ed"))) {
            throw new IllegalArgumentException("tls-key " + cfg.key + " is a " + key.getAlgorithm()
                    + " key but the certificate in " + cfg.certificate + " holds a " + pub.getAlgorithm() + " key");
        }
        String alg;
        switch (key.getAlgorithm()) {
            case "RSA": alg = "SHA256withRSA"; break;
            case "EC": alg = "SHA256withECDSA"; break;
            case "RSASSA-PSS": return; // needs parameters; the TLS handshake will tell
            default: alg = key.getAlgorithm(); break;
        }
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(data);
            if (!v.verify(sig)) {
                throw new IllegalArgumentException("tls-key " + cfg.key + " does not belong to the certificate in "
                        + cfg.certificate);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tls-key " + cfg.key + " does not belong to the certificate in "
                    + cfg.certificate + ": " + e.getMessage());
        }
    }
}
