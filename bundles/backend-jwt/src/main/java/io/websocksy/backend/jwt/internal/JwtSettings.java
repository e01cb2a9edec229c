package io.websocksy.backend.jwt.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;

import io.websocksy.api.backend.PeerProxyProtocol;
import io.websocksy.api.token.TokenSource;

/** The validated settings of one JWT backend instance (the key itself is read by {@link JwtKeys}). */
final class JwtSettings {
    final String name;
    final Path key;
    /** Empty: the key's defaults. */
    final Set<JWSAlgorithm> algorithms;
    final String issuer;
    final String audience;
    final int leeway;
    final TokenSource token;
    final boolean closeOnExpiry;
    final String framing;
    final String framingConfig;
    final String protocol;
    final PeerProxyProtocol peerProxy;

    private JwtSettings(String name, Path key, Set<JWSAlgorithm> algorithms, String issuer, String audience, int leeway,
            TokenSource token, boolean closeOnExpiry, String framing, String framingConfig, String protocol,
            PeerProxyProtocol peerProxy) {
        this.name = name;
        this.key = key;
        this.algorithms = algorithms;
        this.issuer = issuer;
        this.audience = audience;
        this.leeway = leeway;
        this.token = token;
        this.closeOnExpiry = closeOnExpiry;
        this.framing = framing;
        this.framingConfig = framingConfig;
        this.protocol = protocol;
        this.peerProxy = peerProxy;
    }

    static JwtSettings parse(Config c, String instance) {
        return parse(c.name(), c.key(), c.algorithms(), c.issuer(), c.audience(), c.leeway(), c.token(), c.expiry(),
                c.framing(), c.framing$_$config(), c.protocol(), c.peer$_$proxy$_$protocol(), instance);
    }

    static JwtSettings parse(String name, String key, String[] algorithms, String issuer, String audience, int leeway,
            String token, String expiry, String framing, String framingConfig, String protocol, String peerProxy,
            String instance) {
        String n = name == null || name.isBlank() ? (instance == null || instance.isBlank() ? "main" : instance.trim())
                : name.trim();
        if (key == null || key.isBlank()) {
            throw bad("key", key, "not set; name a PEM public key, a JWK set or an HMAC secret file");
        }
        Path k;
        try {
            k = Paths.get(key.trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw bad("key", key, "not a valid path: " + e.getReason());
        }
        Set<JWSAlgorithm> algs = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        if (algorithms != null) {
            for (String a : algorithms) {
                for (String p : (a == null ? "" : a).split(",")) {
                    if (!p.isBlank()) {
                        names.add(p.trim());
                    }
                }
            }
        }
        for (String a : names) {
            if (a.equalsIgnoreCase("none")) {
                throw bad("algorithms", String.join(",", names), "'none' (unsigned tokens) is never accepted");
            }
            JWSAlgorithm alg = JWSAlgorithm.parse(a.toUpperCase(Locale.ROOT));
            if (JwtKeys.Family.of(alg) == null) {
                throw bad("algorithms", String.join(",", names), "'" + a + "' is not a supported JWS algorithm (HS256/384/512, "
                        + "RS256/384/512, PS256/384/512, ES256/384/512)");
            }
            algs.add(alg);
        }
        if (leeway < 0) {
            throw bad("leeway", String.valueOf(leeway), "must not be negative");
        }
        TokenSource t;
        try {
            t = TokenSource.parse(token);
        } catch (IllegalArgumentException e) {
            throw bad("token", token, e.getMessage());
        }
        String ex = expiry == null || expiry.isBlank() ? "ignore" : expiry.trim().toLowerCase(Locale.ROOT);
        if (!ex.equals("ignore") && !ex.equals("close")) {
            throw bad("expiry", expiry, "expected ignore or close");
        }
        PeerProxyProtocol pp;
        try {
            pp = PeerProxyProtocol.parse(peerProxy);
        } catch (IllegalArgumentException e) {
            throw bad("peer-proxy-protocol", peerProxy, e.getMessage());
        }
        return new JwtSettings(n, k, Set.copyOf(algs), blankToNull(issuer), blankToNull(audience), leeway, t,
                ex.equals("close"), framing == null || framing.isBlank() ? "auto" : framing.trim(),
                framingConfig == null ? "" : framingConfig, protocol == null ? "" : protocol.trim(), pp);
    }

    /**
     * The algorithms accepted with these keys: the configured list, or the keys' defaults.
     *
     * @throws IllegalArgumentException for an HMAC algorithm without an HMAC key (a public key must never
     *     verify an HMAC), or an algorithm no key can verify
     */
    Set<JWSAlgorithm> effectiveAlgorithms(JwtKeys keys) {
        if (algorithms.isEmpty()) {
            return keys.defaultAlgorithms();
        }
        for (JWSAlgorithm a : algorithms) {
            JwtKeys.Family f = JwtKeys.Family.of(a);
            if (!keys.families().contains(f)) {
                throw bad("algorithms", a.getName(), f == JwtKeys.Family.HMAC
                        ? "an HMAC algorithm needs an HMAC secret, never a public key (" + keys.kind + ")"
                        : "no " + f + " key in " + key + " (" + keys.kind + ")");
            }
        }
        return algorithms;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static IllegalArgumentException bad(String key, String value, String problem) {
        return new IllegalArgumentException(key + " = '" + value + "': " + problem);
    }

    String describe() {
        return "name=" + name + ", key=" + key + ", algorithms=" + (algorithms.isEmpty() ? "(the key's)" : algorithms)
                + ", issuer=" + (issuer == null ? "(any)" : issuer) + ", audience=" + (audience == null ? "(any)" : audience)
                + ", leeway=" + leeway + "s, token=" + token + ", expiry=" + (closeOnExpiry ? "close" : "ignore")
                + ", framing=" + framing + ", protocol=" + (protocol.isEmpty() ? "(none)" : protocol)
                + (peerProxy == PeerProxyProtocol.OFF ? "" : ", peer-proxy-protocol=" + peerProxy);
    }
}
