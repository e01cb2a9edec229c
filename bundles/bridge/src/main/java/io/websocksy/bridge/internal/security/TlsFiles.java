package io.websocksy.bridge.internal.security;

import java.io.File;

/**
 * The TLS settings of a listener ({@code tls-certificate}, {@code tls-key}, {@code tls-client-ca},
 * {@code tls-provider}, {@code tls-reload-interval}). Immutable.
 */
public final class TlsFiles {
    public final File certificate;
    public final File key;
    /** Null when no client certificates are asked for. */
    public final File clientCa;
    public final String provider;
    public final int reloadSeconds;

    public TlsFiles(File certificate, File key, File clientCa, String provider, int reloadSeconds) {
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
