package io.websocksy.backend.token.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;

import io.websocksy.api.backend.PeerProxyProtocol;
import io.websocksy.api.token.TokenSource;

/** The validated settings of one token-file backend instance. */
final class TokenSettings {
    final String name;
    final Path source;
    final TokenSource token;
    final String framing;
    final String framingConfig;
    final String protocol;
    final PeerProxyProtocol peerProxy;

    private TokenSettings(String name, Path source, TokenSource token, String framing, String framingConfig,
            String protocol, PeerProxyProtocol peerProxy) {
        this.name = name;
        this.source = source;
        this.token = token;
        this.framing = framing;
        this.framingConfig = framingConfig;
        this.protocol = protocol;
        this.peerProxy = peerProxy;
    }

    static TokenSettings parse(Config c, String instance) {
        return parse(c.name(), c.source(), c.token(), c.framing(), c.framing$_$config(), c.protocol(),
                c.peer$_$proxy$_$protocol(), instance);
    }

    static TokenSettings parse(String name, String source, String token, String framing, String framingConfig,
            String protocol, String peerProxy, String instance) {
        String n = name == null || name.isBlank() ? (instance == null || instance.isBlank() ? "main" : instance.trim())
                : name.trim();
        if (source == null || source.isBlank()) {
            throw bad("source", source, "not set; name a token file or a directory of token files");
        }
        Path p;
        try {
            p = Paths.get(source.trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw bad("source", source, "not a valid path: " + e.getReason());
        }
        TokenSource t;
        try {
            t = TokenSource.parse(token);
        } catch (IllegalArgumentException e) {
            throw bad("token", token, e.getMessage());
        }
        String f = framing == null || framing.isBlank() ? "auto" : framing.trim();
        PeerProxyProtocol pp;
        try {
            pp = PeerProxyProtocol.parse(peerProxy);
        } catch (IllegalArgumentException e) {
            throw bad("peer-proxy-protocol", peerProxy, e.getMessage());
        }
        return new TokenSettings(n, p, t, f, framingConfig == null ? "" : framingConfig,
                protocol == null ? "" : protocol.trim(), pp);
    }

    private static IllegalArgumentException bad(String key, String value, String problem) {
        return new IllegalArgumentException(key + " = '" + value + "': " + problem);
    }

    String describe() {
        return "name=" + name + ", source=" + source + ", token=" + token + ", framing=" + framing
                + (framingConfig.isEmpty() ? "" : " '" + framingConfig + "'")
                + ", protocol=" + (protocol.isEmpty() ? "(none)" : protocol)
                + (peerProxy == PeerProxyProtocol.OFF ? "" : ", peer-proxy-protocol=" + peerProxy);
    }
}
