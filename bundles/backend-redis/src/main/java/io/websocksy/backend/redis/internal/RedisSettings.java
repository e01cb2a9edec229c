package io.websocksy.backend.redis.internal;

import java.time.Duration;

import io.lettuce.core.RedisURI;
import io.websocksy.api.backend.PeerProxyProtocol;
import io.websocksy.api.token.TokenSource;

/** The validated settings of one Redis backend instance. */
final class RedisSettings {
    final String name;
    final RedisURI uri;
    final String keyPrefix;
    final TokenSource token;
    final int timeoutMillis;
    final String framing;
    final String framingConfig;
    final String protocol;
    final PeerProxyProtocol peerProxy;
    final boolean configureNotifications;

    private RedisSettings(String name, RedisURI uri, String keyPrefix, TokenSource token, int timeoutMillis,
            String framing, String framingConfig, String protocol, PeerProxyProtocol peerProxy, boolean configure) {
        this.name = name;
        this.uri = uri;
        this.keyPrefix = keyPrefix;
        this.token = token;
        this.timeoutMillis = timeoutMillis;
        this.framing = framing;
        this.framingConfig = framingConfig;
        this.protocol = protocol;
        this.peerProxy = peerProxy;
        this.configureNotifications = configure;
    }

    static RedisSettings parse(Config c, String instance) {
        return parse(c.name(), c.uri(), c.key$_$prefix(), c.token(), c.timeout(), c.framing(), c.framing$_$config(),
                c.protocol(), c.peer$_$proxy$_$protocol(), c.configure$_$notifications(), instance);
    }

    static RedisSettings parse(String name, String uri, String keyPrefix, String token, int timeout, String framing,
            String framingConfig, String protocol, String peerProxy, boolean configure, String instance) {
        String n = name == null || name.isBlank() ? (instance == null || instance.isBlank() ? "main" : instance.trim())
                : name.trim();
        String u = uri == null || uri.isBlank() ? "redis://127.0.0.1:6379/0" : uri.trim();
        if (!u.startsWith("redis://") && !u.startsWith("rediss://")) {
            throw bad("uri", redact(u), "expected redis://[user:password@]host:port/db or rediss://...");
        }
        RedisURI r;
        try {
            r = RedisURI.create(u);
        } catch (RuntimeException e) {
            throw bad("uri", redact(u), String.valueOf(e.getMessage()));
        }
        if (timeout < 50 || timeout > 60_000) {
            throw bad("timeout", String.valueOf(timeout), "expected 50-60000 ms");
        }
        r.setTimeout(Duration.ofMillis(timeout));
        TokenSource t;
        try {
            t = TokenSource.parse(token);
        } catch (IllegalArgumentException e) {
            throw bad("token", token, e.getMessage());
        }
        PeerProxyProtocol pp;
        try {
            pp = PeerProxyProtocol.parse(peerProxy);
        } catch (IllegalArgumentException e) {
            throw bad("peer-proxy-protocol", peerProxy, e.getMessage());
        }
        return new RedisSettings(n, r, keyPrefix == null ? "" : keyPrefix, t, timeout,
                framing == null || framing.isBlank() ? "auto" : framing.trim(), framingConfig == null ? "" : framingConfig,
                protocol == null ? "" : protocol.trim(), pp, configure);
    }

    /** The URI without its password, for log lines. */
    static String redact(String uri) {
        return uri.replaceAll("(rediss?://)([^:@/]*):[^@/]*@", "$1$2:***@");
    }

    String where() {
        return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    private static IllegalArgumentException bad(String key, String value, String problem) {
        return new IllegalArgumentException(key + " = '" + value + "': " + problem);
    }

    String describe() {
        return "name=" + name + ", uri=" + (uri.isSsl() ? "rediss://" : "redis://") + where() + ", key-prefix='"
                + keyPrefix + "', token=" + token + ", timeout=" + timeoutMillis + "ms, framing=" + framing
                + ", protocol=" + (protocol.isEmpty() ? "(none)" : protocol)
                + (peerProxy == PeerProxyProtocol.OFF ? "" : ", peer-proxy-protocol=" + peerProxy);
    }
}
