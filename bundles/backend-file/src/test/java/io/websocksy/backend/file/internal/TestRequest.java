package io.websocksy.backend.file.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.websocksy.api.backend.HandshakeRequest;

/** A handshake built field by field, shaped as the bridge's: endpoint = path without outer slashes, raw. */
final class TestRequest implements HandshakeRequest {
    private String path = "/";
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final List<String[]> headers = new ArrayList<>();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final List<String> subprotocols = new ArrayList<>();

    static TestRequest path(String p) {
        TestRequest r = new TestRequest();
        r.path = p;
        return r;
    }

    TestRequest header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    TestRequest cookie(String name, String value) {
        cookies.putIfAbsent(name, value);
        return this;
    }

    TestRequest query(String name, String value) {
        query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    TestRequest offer(String... protocols) {
        subprotocols.addAll(List.of(protocols));
        return this;
    }

    @Override public String path() { return path; }

    @Override public String endpoint() {
        int a = 0;
        int b = path.length();
        while (a < b && path.charAt(a) == '/') {
            a++;
        }
        while (b > a && path.charAt(b - 1) == '/') {
            b--;
        }
        return path.substring(a, b);
    }

    @Override public String rawQuery() { return ""; }

    @Override public Optional<String> query(String name) {
        List<String> v = query.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    @Override public Map<String, List<String>> queryParameters() { return Collections.unmodifiableMap(query); }

    @Override public Optional<String> header(String name) {
        List<String> v = headers(name);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    @Override public List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                out.add(h[1]);
            }
        }
        return out;
    }

    @Override public Set<String> headerNames() {
        Set<String> out = new LinkedHashSet<>();
        for (String[] h : headers) {
            out.add(h[0]);
        }
        return out;
    }

    @Override public Optional<String> cookie(String name) { return Optional.ofNullable(cookies.get(name)); }
    @Override public Map<String, String> cookies() { return Collections.unmodifiableMap(cookies); }
    @Override public List<String> subprotocols() { return Collections.unmodifiableList(subprotocols); }
    @Override public InetSocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 40000); }
    @Override public String listener() { return "main"; }
}
