package io.websocksy.bridge.internal.config;

import static io.websocksy.bridge.internal.config.ListenerConfig.*;

import java.util.Map;

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

    public ListenerSettings(Map<String, Object> props) {
        PropertyReader in = new PropertyReader(ListenerConfig.PID, props);
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
                + " access-log=" + (accessLog == null ? "off" : accessLog);
    }
}
