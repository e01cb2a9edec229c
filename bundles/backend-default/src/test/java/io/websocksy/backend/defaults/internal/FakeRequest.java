package io.websocksy.backend.defaults.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.websocksy.api.backend.HandshakeRequest;

/** A handshake that offers the given subprotocols and nothing else. */
final class FakeRequest implements HandshakeRequest {
    private final List<String> subprotocols;

    FakeRequest(String... subprotocols) {
        this.subprotocols = List.of(subprotocols);
    }

    @Override public String path() { return "/"; }
    @Override public String endpoint() { return ""; }
    @Override public String rawQuery() { return ""; }
    @Override public Optional<String> query(String name) { return Optional.empty(); }
    @Override public Map<String, List<String>> queryParameters() { return Map.of(); }
    @Override public Optional<String> header(String name) { return Optional.empty(); }
    @Override public List<String> headers(String name) { return List.of(); }
    @Override public Set<String> headerNames() { return Set.of(); }
    @Override public Optional<String> cookie(String name) { return Optional.empty(); }
    @Override public Map<String, String> cookies() { return Map.of(); }
    @Override public List<String> subprotocols() { return subprotocols; }
    @Override public InetSocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 40000); }
    @Override public String listener() { return "main"; }
}
