package io.websocksy.bridge.internal.handshake;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.websocksy.api.backend.HandshakeRequest;
import io.websocksy.bridge.internal.http.HttpHead;

/** The bridge's immutable {@link HandshakeRequest}. */
public final class Request implements HandshakeRequest {
    private final HttpHead head;
    private final String path;
    private final String rawQuery;
    private final String endpoint;
    private final Map<String, List<String>> query;
    private final Map<String, String> cookies;
    private final List<String> subprotocols;
    private final InetSocketAddress remote;
    private final String listener;

    public Request(HttpHead head, List<String> subprotocols, InetSocketAddress remote, String listener) {
        this.head = head;
        String target = head.target;
        int q = target.indexOf('?');
        this.path = q < 0 ? target : target.substring(0, q);
        this.rawQuery = q < 0 ? "" : target.substring(q + 1);
        this.endpoint = trimSlashes(path);
        this.query = parseQuery(rawQuery);
        this.cookies = parseCookies(head.all("cookie"));
        this.subprotocols = List.copyOf(subprotocols);
        this.remote = remote;
        this.listener = listener;
    }

    static String trimSlashes(String p) {
        int a = 0;
        int b = p.length();
        while (a < b && p.charAt(a) == '/') {
            a++;
        }
        while (b > a && p.charAt(b - 1) == '/') {
            b--;
        }
        return p.substring(a, b);
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            if (k != null && v != null) {
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        out.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(out);
    }

    /** @return the decoded text, or null when the escapes or the UTF-8 are malformed */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
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
                b.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                b.write(' ');
            } else {
                b.write(c);
            }
        }
        byte[] bytes = b.toByteArray();
        if (!io.websocksy.api.framer.Utf8.isValid(java.nio.ByteBuffer.wrap(bytes))) {
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** RFC 6265 5.4 style: pairs separated by ';', optional spaces, quoted values unquoted; first wins. */
    static Map<String, String> parseCookies(List<String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : headers) {
            for (String pair : h.split(";")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String k = pair.substring(0, eq).trim();
                String v = pair.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                if (!k.isEmpty()) {
                    out.putIfAbsent(k, v);
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public Optional<String> query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return query;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(head.first(name));
    }

    @Override
    public List<String> headers(String name) {
        return Collections.unmodifiableList(head.all(name));
    }

    @Override
    public Set<String> headerNames() {
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> out = new LinkedHashSet<>();
        for (String[] h : head.headers) {
            if (seen.add(h[0])) {
                out.add(h[0]);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    @Override
    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    @Override
    public Map<String, String> cookies() {
        return cookies;
    }

    @Override
    public List<String> subprotocols() {
        return subprotocols;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String listener() {
        return listener;
    }

    @Override
    public String toString() {
        return head.method + " " + head.target;
    }
}
