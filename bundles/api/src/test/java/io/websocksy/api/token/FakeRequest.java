package io.websocksy.api.token;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.websocksy.api.backend.HandshakeRequest;

/** A handshake built by hand for unit tests; shared with the token backends through this module's test-jar. */
public final class FakeRequest implements HandshakeRequest {
    private String path = "/";
    final Map<String, List<String>> query = new LinkedHashMap<>();
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final Map<String, String> cookies = new LinkedHashMap<>();
    final List<String> protocols = new ArrayList<>();

    public FakeRequest path(String p) {
        path = p;
        return this;
    }

    public FakeRequest query(String k, String v) {
        query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        return this;
    }

    public FakeRequest header(String k, String v) {
        headers.computeIfAbsent(k.toLowerCase(), x -> new ArrayList<>()).add(v);
        return this;
    }

    public FakeRequest cookie(String k, String v) {
        cookies.putIfAbsent(k, v);
        return this;
    }

    public FakeRequest protocols(String... p) {
        protocols.addAll(List.of(p));
        return this;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String endpoint() {
        return path.replaceAll("^/+|/+$", "");
    }

    @Override
    public String rawQuery() {
        return "";
    }

    @Override
    public Optional<String> query(String name) {
        List<String> v = query.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return query;
    }

    @Override
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase());
        return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(), List.of());
    }

    @Override
    public Set<String> headerNames() {
        return new LinkedHashSet<>(headers.keySet());
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
        return protocols;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public String listener() {
        return "main";
    }
}
