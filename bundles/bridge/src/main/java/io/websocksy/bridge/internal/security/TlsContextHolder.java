package io.websocksy.bridge.internal.security;

import java.io.File;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * A listener's TLS server context (docs/behaviour.md#security), built from the key material {@link PemKeyMaterial} reads
 * from the listener's {@link TlsFiles}: TLS 1.3 and 1.2 only, a client certificate required and
 * verified when {@code tls-client-ca} is set. Every {@code tls-reload-interval} seconds a task on the
 * runtime's shared scheduler (never an event loop) compares the files' modification time and size;
 * on a change it loads them again and swaps the context: new connections get the new certificate, open
 * ones keep theirs. A reload that fails keeps the previous context and logs why. The description is
 * made from the same material as the context it describes.
 */
public final class TlsContextHolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContextHolder.class);
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** A context and the description of the certificate it serves, swapped together. */
    private static final class InUse {
        final SslContext context;
        final String description;

        InUse(SslContext context, String description) {
            this.context = context;
            this.description = description;
        }
    }

    private final String listener;
    private final TlsFiles files;
    private final AtomicReference<InUse> inUse = new AtomicReference<>();
    private final ScheduledFuture<?> poller;
    private volatile String stamp;

    /**
     * Loads the files now (the caller's thread: activation, never an event loop).
     *
     * @param scheduler runs the reload check; null (or {@code tls-reload-interval = 0}) for none
     * @throws IllegalArgumentException naming the file and the problem
     */
    public TlsContextHolder(String listener, TlsFiles files, ScheduledExecutorService scheduler) {
        this.listener = listener;
        this.files = files;
        stamp = stamp();
        inUse.set(inUse(files));
        poller = scheduler == null || files.reloadSeconds <= 0 ? null
                : scheduler.scheduleWithFixedDelay(this::poll, files.reloadSeconds, files.reloadSeconds,
                        TimeUnit.SECONDS);
    }

    /** @return a handler for a new connection, using the current context */
    public SslHandler newHandler(ByteBufAllocator alloc, long handshakeTimeoutMillis) {
        SslHandler h = inUse.get().context.newHandler(alloc);
        h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return h;
    }

    /** @return the current context */
    SslContext current() {
        return inUse.get().context;
    }

    /** @return subject, expiry and provider of the certificate in use */
    public String description() {
        return inUse.get().description;
    }

    /** Checks the files now (the scheduled task does this; tests call it directly). */
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
            InUse next = inUse(files);
            inUse.set(next);
            LOG.info("listener {}: TLS files changed, new connections use {}", listener, next.description);
        } catch (IllegalArgumentException e) {
            LOG.error("listener {}: TLS reload failed, previous certificate stays in use: {}", listener, e.getMessage());
        }
    }

    private String stamp() {
        StringBuilder sb = new StringBuilder();
        for (File f : new File[] {files.certificate, files.key, files.clientCa}) {
            if (f != null) {
                sb.append(f.lastModified()).append('/').append(f.length()).append(';');
            }
        }
        return sb.toString();
    }

    /** Stops the reload check; open connections keep their context. */
    @Override
    public void close() {
        if (poller != null) {
            poller.cancel(false);
        }
    }

    // ---------------------------------------------------------------- loading

    /**
     * @return a server context from the PEM files, with its description
     * @throws IllegalArgumentException naming the file and the problem
     */
    private static InUse inUse(TlsFiles files) {
        PemKeyMaterial m = PemKeyMaterial.read(files);
        return new InUse(context(m, files), describe(m, files));
    }

    /**
     * @return a server context from the PEM files
     * @throws IllegalArgumentException naming the file and the problem
     */
    static SslContext load(TlsFiles files) {
        return context(PemKeyMaterial.read(files), files);
    }

    private static SslContext context(PemKeyMaterial m, TlsFiles files) {
        for (X509Certificate c : m.chain) {
            try {
                c.checkValidity();
            } catch (GeneralSecurityException e) {
                LOG.warn("tls-certificate {}: certificate '{}' is not valid now: {}", files.certificate,
                        c.getSubjectX500Principal(), e.getMessage());
            }
        }
        SslContextBuilder b = SslContextBuilder.forServer(m.key, m.chain.toArray(new X509Certificate[0]))
                .sslProvider(provider(files.provider))
                .protocols(PROTOCOLS);
        if (m.clientCas != null) {
            b.trustManager(m.clientCas.toArray(new X509Certificate[0])).clientAuth(ClientAuth.REQUIRE);
        }
        try {
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot build the TLS context from " + files.certificate + " and "
                    + files.key + ": " + e.getMessage(), e);
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

    private static String describe(PemKeyMaterial m, TlsFiles files) {
        X509Certificate leaf = m.leaf();
        return "certificate '" + leaf.getSubjectX500Principal().getName() + "' valid until " + leaf.getNotAfter()
                .toInstant() + " (" + providerName(files.provider)
                + (files.clientCa == null ? "" : ", client certificates required") + ")";
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
}
