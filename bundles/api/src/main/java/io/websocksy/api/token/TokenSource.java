package io.websocksy.api.token;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.websocksy.api.backend.HandshakeRequest;

/**
 * Where a backend reads the client's token, the configuration key {@code token}:
 * <ul>
 * <li>{@code query:NAME} - the query parameter NAME (default {@code query:token}, what noVNC sends);</li>
 * <li>{@code cookie:NAME} - the cookie NAME;</li>
 * <li>{@code header:NAME} - the request header NAME (a leading {@code Bearer } is removed);</li>
 * <li>{@code path} - the last segment of the request path, percent-decoded;</li>
 * <li>{@code protocol:PREFIX} - the {@code Sec-WebSocket-Protocol} entry starting with PREFIX, without the
 * prefix (as Kubernetes sends {@code base64url.bearer.authorization.k8s.io.TOKEN}); that entry is never
 * chosen as the subprotocol: {@link #offers(HandshakeRequest)} leaves it out.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class TokenSource {
    /** The default: {@code query:token}. */
    public static final String DEFAULT = "query:token";

    /** The kinds of source. */
    public enum Kind {
        /** A query parameter. */
        QUERY,
        /** A cookie. */
        COOKIE,
        /** A request header. */
        HEADER,
        /** The last path segment. */
        PATH,
        /** A subprotocol entry with a prefix. */
        PROTOCOL
    }

    private final Kind kind;
    private final String name;

    private TokenSource(Kind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /**
     * @param spec {@code query:NAME}, {@code cookie:NAME}, {@code header:NAME}, {@code path} or
     *     {@code protocol:PREFIX}; null or blank means {@value #DEFAULT}
     * @return the source
     * @throws IllegalArgumentException naming what is wrong with {@code spec}
     */
    public static TokenSource parse(String spec) {
        String s = spec == null || spec.isBlank() ? DEFAULT : spec.trim();
        if (s.equalsIgnoreCase("path")) {
            return new TokenSource(Kind.PATH, "");
        }
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + s + "' is not query:NAME, cookie:NAME, header:NAME, path or protocol:PREFIX");
        }
        String k = s.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String n = s.substring(colon + 1).trim();
        if (n.isEmpty()) {
            throw new IllegalArgumentException("'" + s + "' names no " + (k.equals("protocol") ? "prefix" : "name"));
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("'" + s + "': control, space or non-ASCII character in the name");
            }
        }
        switch (k) {
            case "query": return new TokenSource(Kind.QUERY, n);
            case "cookie": return new TokenSource(Kind.COOKIE, n);
            case "header": return new TokenSource(Kind.HEADER, n);
            case "protocol": return new TokenSource(Kind.PROTOCOL, n);
            default:
                throw new IllegalArgumentException("'" + s + "': unknown source '" + k
                        + "' (expected query, cookie, header, path or protocol)");
        }
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the parameter, cookie or header name, or the protocol prefix; empty for {@code path} */
    public String name() {
        return name;
    }

    /**
     * @param request the handshake
     * @return the token, or empty when the client sent none (or an empty one)
     */
    public Optional<String> extract(HandshakeRequest request) {
        String t;
        switch (kind) {
            case QUERY:
                t = request.query(name).orElse(null);
                break;
            case COOKIE:
                t = request.cookie(name).orElse(null);
                break;
            case HEADER:
                t = request.header(name).map(String::trim).orElse(null);
                if (t != null && t.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    t = t.substring(7).trim();
                }
                break;
            case PATH:
                t = lastSegment(request.path());
                break;
            case PROTOCOL:
            default:
                t = null;
                for (String p : request.subprotocols()) {
                    if (p.startsWith(name)) {
                        t = p.substring(name.length());
                        break;
                    }
                }
                break;
        }
        return t == null || t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    /**
     * @param request the handshake
     * @return the token
     * @throws io.websocksy.api.backend.RouteException 403 when the client sent none
     */
    public String require(HandshakeRequest request) {
        return extract(request).orElseThrow(() -> new io.websocksy.api.backend.RouteException(403,
                "no token in " + this));
    }

    /**
     * @param request the handshake
     * @return the client's subprotocol offers that may be chosen: all of them, except the token's entry
     *     for a {@code protocol:PREFIX} source
     */
    public List<String> offers(HandshakeRequest request) {
        List<String> all = request.subprotocols();
        if (kind != Kind.PROTOCOL) {
            return all;
        }
        List<String> out = new ArrayList<>(all.size());
        for (String p : all) {
            if (!p.startsWith(name)) {
                out.add(p);
            }
        }
        return out;
    }

    /** @return where the token is looked for, e.g. {@code query:token}, for log lines */
    @Override
    public String toString() {
        return kind == Kind.PATH ? "path" : kind.name().toLowerCase(Locale.ROOT) + ":" + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenSource && ((TokenSource) o).kind == kind && ((TokenSource) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + name.hashCode();
    }

    /**
     * What a log line shows instead of a token: {@code sha256:} and the first 12 hex digits of its SHA-256,
     * enough to tell tokens apart and to find one that an operator holds, useless to an attacker.
     *
     * @param token the token
     * @return the short hash
     */
    public static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder("sha256:");
            for (int i = 0; i < 6; i++) {
                sb.append(Character.forDigit((d[i] >> 4) & 0xf, 16)).append(Character.forDigit(d[i] & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** The last non-empty segment of a raw path, percent-decoded as UTF-8; null when none or malformed. */
    static String lastSegment(String rawPath) {
        String p = rawPath;
        int end = p.length();
        while (end > 0 && p.charAt(end - 1) == '/') {
            end--;
        }
        int start = p.lastIndexOf('/', end - 1) + 1;
        if (start >= end) {
            return null;
        }
        return percentDecode(p.substring(start, end));
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
}
