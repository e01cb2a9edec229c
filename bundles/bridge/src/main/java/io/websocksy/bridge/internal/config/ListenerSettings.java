package io.websocksy.bridge.internal.config;

import java.util.Map;

import io.websocksy.bridge.internal.security.ClientAddress;
import io.websocksy.bridge.internal.security.OriginPolicy;
import io.websocksy.bridge.internal.security.PeerAllowList;
import io.websocksy.bridge.internal.security.ProxyProtocolDecoder;
import io.websocksy.bridge.internal.security.TlsContextHolder;




/** The validated settings of one listener (SPEC 6 and 9). Immutable. */
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
    // security and operations (SPEC 9): ListenerSecurity, PeerGate, AccessLog
    public final int maxConnections;
    public final int maxConnectionsPerIp;
    public final int retryAfter;
    public final PeerAllowList allowedPeers;
    public final ClientAddress.TrustedProxies trustedProxies;
    public final ProxyProtocolDecoder.Mode proxyProtocol;
    /** null without TLS */
    public final TlsContextHolder.Config tls;
    /** null when the access log is off */
    public final AccessLogFormat accessLog;

    public ListenerSettings(Map<String, Object> props) {
        Settings s = new Settings(ListenerConfig.PID, props);
        pid = s.pid();
        int tilde = pid.indexOf('~');
        name = tilde >= 0 ? pid.substring(tilde + 1) : pid;
        listen = s.string("listen", "::");
        if (listen.isEmpty()) {
            throw s.bad("listen", listen, "empty address");
        }
        port = s.integer("port", 8001, 0, 65535);
        ping = s.integer("ping", 30, 0, 86400);
        backend = s.string("backend", "main");
        if (backend.isEmpty()) {
            throw s.bad("backend", backend, "empty backend name");
        }
        handshakeTimeout = s.integer("handshake-timeout", 10, 1, 3600);
        maxRequestLine = s.integer("max-request-line", 4096, 64, 1 << 20);
        maxHeaderSize = s.integer("max-header-size", 8192, 256, 1 << 20);
        maxHeaders = s.integer("max-headers", 100, 8, 10_000);
        maxFrameSize = s.integer("max-frame-size", 1 << 20, 125, Integer.MAX_VALUE);
        maxMessageSize = s.integer("max-message-size", 1 << 20, 1024, Integer.MAX_VALUE);
        connectTimeout = s.integer("connect-timeout", 10, 1, 3600);
        writeTimeout = s.integer("write-timeout", 60, 1, 86400);
        maxSubprotocols = s.integer("max-subprotocols", 32, 1, 1024);
        boolean allowMissingOrigin = s.bool("allow-missing-origin", true);
        try {
            origins = OriginPolicy.parse(props.get("allowed-origins"), allowMissingOrigin)
                    .sameOrigin(s.bool("same-origin", false));
        } catch (IllegalArgumentException e) {
            throw s.bad("allowed-origins", props.get("allowed-origins") instanceof String[]
                    ? String.join(",", (String[]) props.get("allowed-origins")) : props.get("allowed-origins"), e.getMessage());
        }
        maxConnections = s.integer("max-connections", 0, 0, Integer.MAX_VALUE);
        maxConnectionsPerIp = s.integer("max-connections-per-ip", 0, 0, Integer.MAX_VALUE);
        retryAfter = s.integer("retry-after", 5, 1, 86400);
        try {
            allowedPeers = PeerAllowList.parse(props.get("allowed-peers"));
        } catch (IllegalArgumentException e) {
            throw s.bad("allowed-peers", joined(props.get("allowed-peers")), e.getMessage());
        }
        try {
            trustedProxies = ClientAddress.TrustedProxies.parse(props.get("trusted-proxies"));
        } catch (IllegalArgumentException e) {
            throw s.bad("trusted-proxies", joined(props.get("trusted-proxies")), e.getMessage());
        }
        try {
            proxyProtocol = ProxyProtocolDecoder.Mode.parse(s.string("proxy-protocol", "off"));
        } catch (IllegalArgumentException e) {
            throw s.bad("proxy-protocol", props.get("proxy-protocol"), e.getMessage());
        }
        if (proxyProtocol != ProxyProtocolDecoder.Mode.OFF && trustedProxies.isEmpty()) {
            throw s.bad("proxy-protocol", proxyProtocol, "needs trusted-proxies (the proxies allowed to send it)");
        }
        String cert = s.string("tls-certificate", "");
        String key = s.string("tls-key", "");
        String ca = s.string("tls-client-ca", "");
        String provider = s.string("tls-provider", "auto").toLowerCase(java.util.Locale.ROOT);
        int reload = s.integer("tls-reload-interval", 10, 0, 86400);
        if (cert.isEmpty() != key.isEmpty()) {
            throw s.bad(cert.isEmpty() ? "tls-certificate" : "tls-key", "", "tls-certificate and tls-key go together");
        }
        if (cert.isEmpty() && !ca.isEmpty()) {
            throw s.bad("tls-client-ca", ca, "client certificates need TLS: set tls-certificate and tls-key");
        }
        if (!provider.equals("auto") && !provider.equals("jdk") && !provider.equals("openssl")) {
            throw s.bad("tls-provider", provider, "expected auto, jdk or openssl");
        }
        tls = cert.isEmpty() ? null : new TlsContextHolder.Config(new java.io.File(cert), new java.io.File(key),
                ca.isEmpty() ? null : new java.io.File(ca), provider, reload);
        accessLog = s.bool("access-log", false) ? format(s) : null;
    }

    private static AccessLogFormat format(Settings s) {
        String f = s.string("access-log-format", "text");
        try {
            return AccessLogFormat.parse(f);
        } catch (IllegalArgumentException e) {
            throw s.bad("access-log-format", f, e.getMessage());
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
                + " access-log=" + (accessLog == null ? "off" : accessLog);
    }
}
