package io.websocksy.bridge.internal.config;

import static io.websocksy.bridge.internal.config.ListenerConfig.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;

import io.websocksy.bridge.internal.deflate.DeflateConfig;
import io.websocksy.bridge.internal.http.WebRoot;

import io.websocksy.bridge.internal.security.ClientAddress;
import io.websocksy.bridge.internal.security.OriginPolicy;
import io.websocksy.bridge.internal.security.PeerAllowList;
import io.websocksy.bridge.internal.security.ProxyProtocolDecoder;
import io.websocksy.bridge.internal.security.TlsFiles;







/** The validated settings of one listener (docs/behaviour.md#configuration, #security). Immutable. */
public final class ListenerSettings {
    final String pid;
    public final String name;
    public final String listen;
    public final int port;
    public final int ping;
    public final String backend;
    public final int handshakeTimeout;
    public final int maxRequestLine;
    public final int maxHeaderSize;
    public final int maxHeaders;
    public final int maxFrameSize;
    public final int maxMessageSize;
    public final int connectTimeout;
    public final int writeTimeout;
    public final int maxSubprotocols;
    public final OriginPolicy origins;
    // security and operations (docs/behaviour.md#security): ListenerSecurity, PeerGate, AccessLog
    public final int maxConnections;
    public final int maxConnectionsPerIp;
    public final int retryAfter;
    public final PeerAllowList allowedPeers;
    public final ClientAddress.TrustedProxies trustedProxies;
    public final ProxyProtocolDecoder.Mode proxyProtocol;
    /** null without TLS */
    public final TlsFiles tls;
    /** null when the access log is off */
    public final AccessLogFormat accessLog;
    /** static files ({@code web}); null when off */
    public final WebRoot web;
    /** permessage-deflate: {@link DeflateConfig#OFF} unless compression = on */
    public final DeflateConfig compression;
    /** Path answered 200/503 for load balancers ({@code HealthAnswer}); empty = off. */
    public final String healthPath;

    public ListenerSettings(Map<String, Object> props) {
        PropertyReader in = new PropertyReader(ListenerConfig.PID, props);
        in.checkKeys(ListenerConfig.class);
        pid = in.pid();
        int tilde = pid.indexOf('~');
        name = tilde >= 0 ? pid.substring(tilde + 1) : pid;
        listen = in.string("listen", LISTEN);
        if (listen.isEmpty()) {
            throw in.bad("listen", listen, "empty address");
        }
        port = in.integer("port", PORT, PORT_MIN, PORT_MAX);
        ping = in.integer("ping", PING, PING_MIN, PING_MAX);
        backend = in.string("backend", BACKEND);
        if (backend.isEmpty()) {
            throw in.bad("backend", backend, "empty backend name");
        }
        handshakeTimeout = in.integer("handshake-timeout",
                HANDSHAKE_TIMEOUT, HANDSHAKE_TIMEOUT_MIN, HANDSHAKE_TIMEOUT_MAX);
        maxRequestLine = in.integer("max-request-line", MAX_REQUEST_LINE, MAX_REQUEST_LINE_MIN, MAX_REQUEST_LINE_MAX);
        maxHeaderSize = in.integer("max-header-size", MAX_HEADER_SIZE, MAX_HEADER_SIZE_MIN, MAX_HEADER_SIZE_MAX);
        maxHeaders = in.integer("max-headers", MAX_HEADERS, MAX_HEADERS_MIN, MAX_HEADERS_MAX);
        maxFrameSize = in.integer("max-frame-size", MAX_FRAME_SIZE, MAX_FRAME_SIZE_MIN, MAX_FRAME_SIZE_MAX);
        maxMessageSize = in.integer("max-message-size", MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE_MIN, MAX_MESSAGE_SIZE_MAX);
        connectTimeout = in.integer("connect-timeout", CONNECT_TIMEOUT, CONNECT_TIMEOUT_MIN, CONNECT_TIMEOUT_MAX);
        writeTimeout = in.integer("write-timeout", WRITE_TIMEOUT, WRITE_TIMEOUT_MIN, WRITE_TIMEOUT_MAX);
        maxSubprotocols = in.integer("max-subprotocols", MAX_SUBPROTOCOLS, MAX_SUBPROTOCOLS_MIN, MAX_SUBPROTOCOLS_MAX);
        boolean allowMissingOrigin = in.bool("allow-missing-origin", ALLOW_MISSING_ORIGIN);
        try {
            origins = OriginPolicy.parse(props.get("allowed-origins"), allowMissingOrigin)
                    .sameOrigin(in.bool("same-origin", SAME_ORIGIN));
        } catch (IllegalArgumentException e) {
            throw in.bad("allowed-origins", props.get("allowed-origins") instanceof String[]
                    ? String.join(",", (String[]) props.get("allowed-origins")) : props.get("allowed-origins"), e.getMessage());
        }
        maxConnections = in.integer("max-connections", MAX_CONNECTIONS, MAX_CONNECTIONS_MIN, MAX_CONNECTIONS_MAX);
        maxConnectionsPerIp = in.integer("max-connections-per-ip",
                MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_IP_MIN, MAX_CONNECTIONS_PER_IP_MAX);
        retryAfter = in.integer("retry-after", RETRY_AFTER, RETRY_AFTER_MIN, RETRY_AFTER_MAX);
        try {
            allowedPeers = PeerAllowList.parse(props.get("allowed-peers"));
        } catch (IllegalArgumentException e) {
            throw in.bad("allowed-peers", joined(props.get("allowed-peers")), e.getMessage());
        }
        try {
            trustedProxies = ClientAddress.TrustedProxies.parse(props.get("trusted-proxies"));
        } catch (IllegalArgumentException e) {
            throw in.bad("trusted-proxies", joined(props.get("trusted-proxies")), e.getMessage());
        }
        try {
            proxyProtocol = ProxyProtocolDecoder.Mode.parse(in.string("proxy-protocol", PROXY_PROTOCOL));
        } catch (IllegalArgumentException e) {
            throw in.bad("proxy-protocol", props.get("proxy-protocol"), e.getMessage());
        }
        if (proxyProtocol != ProxyProtocolDecoder.Mode.OFF && trustedProxies.isEmpty()) {
            throw in.bad("proxy-protocol", proxyProtocol, "needs trusted-proxies (the proxies allowed to send it)");
        }
        String cert = in.string("tls-certificate", TLS_CERTIFICATE);
        String key = in.string("tls-key", TLS_KEY);
        String ca = in.string("tls-client-ca", TLS_CLIENT_CA);
        String provider = in.string("tls-provider", TLS_PROVIDER).toLowerCase(java.util.Locale.ROOT);
        int reload = in.integer("tls-reload-interval",
                TLS_RELOAD_INTERVAL, TLS_RELOAD_INTERVAL_MIN, TLS_RELOAD_INTERVAL_MAX);
        if (cert.isEmpty() != key.isEmpty()) {
            throw in.bad(cert.isEmpty() ? "tls-certificate" : "tls-key", "", "tls-certificate and tls-key go together");
        }
        if (cert.isEmpty() && !ca.isEmpty()) {
            throw in.bad("tls-client-ca", ca, "client certificates need TLS: set tls-certificate and tls-key");
        }
        if (!provider.equals("auto") && !provider.equals("jdk") && !provider.equals("openssl")) {
            throw in.bad("tls-provider", provider, "expected auto, jdk or openssl");
        }
        tls = cert.isEmpty() ? null : new TlsFiles(new java.io.File(cert), new java.io.File(key),
                ca.isEmpty() ? null : new java.io.File(ca), provider, reload);
        accessLog = in.bool("access-log", ACCESS_LOG) ? format(in) : null;
        web = webRoot(in);
        compression = compression(in);
        healthPath = healthPath(in);
    }

    /**
     * Reads and checks {@code web}, {@code web-index}, {@code web-listing} and {@code web-cache-control}.
     *
     * @return the static file directory, or null when {@code web} is empty (static files off)
     */
    public static WebRoot webRoot(PropertyReader in) {
        String dir = in.string("web", WEB);
        if (dir.isEmpty()) {
            return null;
        }
        Path real;
        try {
            real = Paths.get(dir).toRealPath();
        } catch (IOException | InvalidPathException e) {
            throw in.bad("web", dir, "cannot read the directory (" + e.getMessage() + ")");
        }
        if (!Files.isDirectory(real)) {
            throw in.bad("web", dir, "not a directory");
        }
        String index = in.string("web-index", WEB_INDEX);
        if (index.contains("/") || index.contains("\\") || index.equals(".") || index.equals("..")) {
            throw in.bad("web-index", index, "a file name without a directory part");
        }
        String cache = in.string("web-cache-control", WEB_CACHE_CONTROL);
        for (int i = 0; i < cache.length(); i++) {
            char c = cache.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                throw in.bad("web-cache-control", cache, "control or non-ASCII character");
            }
        }
        return new WebRoot(real, index, in.bool("web-listing", WEB_LISTING), cache);
    }

    private static DeflateConfig compression(PropertyReader in) {
        String on = in.string("compression", COMPRESSION).toLowerCase(Locale.ROOT);
        if (!on.equals("on") && !on.equals("off")) {
            throw in.bad("compression", on, "expected on or off");
        }
        return new DeflateConfig(on.equals("on"),
                in.integer("compression-level", COMPRESSION_LEVEL, COMPRESSION_LEVEL_MIN, COMPRESSION_LEVEL_MAX),
                in.integer("compression-window-bits",
                        COMPRESSION_WINDOW_BITS, COMPRESSION_WINDOW_BITS_MIN, COMPRESSION_WINDOW_BITS_MAX),
                in.bool("compression-no-context-takeover", COMPRESSION_NO_CONTEXT_TAKEOVER),
                in.integer("compression-min-size", COMPRESSION_MIN_SIZE, COMPRESSION_MIN_SIZE_MIN, COMPRESSION_MIN_SIZE_MAX));
    }

    /** Reads and checks {@code health-path}: empty (off) or an absolute path without query. */
    private static String healthPath(PropertyReader in) {
        String p = in.string("health-path", HEALTH_PATH);
        if (p.isEmpty()) {
            return p;
        }
        if (!p.startsWith("/") || p.indexOf('?') >= 0 || p.indexOf('#') >= 0 || p.indexOf(' ') >= 0) {
            throw in.bad("health-path", p, "expected an absolute path such as /healthz (no query), or empty for off");
        }
        return p;
    }

    private static AccessLogFormat format(PropertyReader in) {
        String f = in.string("access-log-format", ACCESS_LOG_FORMAT);
        try {
            return AccessLogFormat.parse(f);
        } catch (IllegalArgumentException e) {
            throw in.bad("access-log-format", f, e.getMessage());
        }
    }

    private static String joined(Object v) {
        return v instanceof String[] ? String.join(",", (String[]) v) : String.valueOf(v);
    }

    public boolean sameAddress(ListenerSettings o) {
        return o != null && listen.equals(o.listen) && port == o.port;
    }

    @Override
    public String toString() {
        return "listen=" + listen + " port=" + port + " ping=" + ping + " backend=" + backend
                + " handshake-timeout=" + handshakeTimeout + " max-request-line=" + maxRequestLine
                + " max-header-size=" + maxHeaderSize + " max-headers=" + maxHeaders
                + " max-frame-size=" + maxFrameSize + " max-message-size=" + maxMessageSize
                + " connect-timeout=" + connectTimeout + " write-timeout=" + writeTimeout
                + " allowed-origins=" + origins
                + " max-connections=" + maxConnections + " max-connections-per-ip=" + maxConnectionsPerIp
                + " allowed-peers=" + allowedPeers + " trusted-proxies=" + trustedProxies
                + " proxy-protocol=" + proxyProtocol + (tls == null ? " tls=off" : " " + tls)
                + " access-log=" + (accessLog == null ? "off" : accessLog)
                + " web=" + (web == null ? "off" : web) + " " + compression
                + (healthPath.isEmpty() ? "" : " health-path=" + healthPath);
    }
}
