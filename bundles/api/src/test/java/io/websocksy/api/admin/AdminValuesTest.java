package io.websocksy.api.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;

class AdminValuesTest {
    private final Route route = Route.to(PeerAddress.parse("tcp://127.0.0.1:5900")).framer("binary")
            .subprotocol("mqtt").build();

    @Test
    void listenerInfoCarriesEverything() {
        ListenerInfo l = ListenerInfo.named("main").address("127.0.0.1:8001").tls(true).backend("be", false)
                .state(ListenerInfo.State.DRAINING).counts(2, 7, 5, 2).build();
        assertEquals("main", l.name());
        assertEquals("127.0.0.1:8001", l.address());
        assertTrue(l.tls());
        assertEquals("be", l.backend());
        assertFalse(l.backendBound());
        assertEquals("draining", l.state().label());
        assertEquals(2, l.open());
        assertEquals(7, l.accepted());
        assertEquals(5, l.upgraded());
        assertEquals(2, l.rejected());
    }

    @Test
    void listenerInfoRejectsMissingOrNegative() {
        assertThrows(IllegalArgumentException.class, () -> ListenerInfo.named(""));
        assertThrows(IllegalArgumentException.class, () -> ListenerInfo.named("a").counts(-1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ListenerInfo.named("a").counts(0, 0, -3, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ListenerInfo.named("a").address("x:1").build());
        assertTrue(e.getMessage().contains("listener a"), e.getMessage());
    }

    @Test
    void connectionInfoCarriesEverything() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        ConnectionInfo c = ConnectionInfo.withId(3)
                .of("main", new InetSocketAddress("127.0.0.1", 40000), "/vnc", route)
                .traffic(11, 2, 13, 3).times(t, Duration.ofSeconds(9), Duration.ofSeconds(4)).build();
        assertEquals(3, c.id());
        assertEquals("main", c.listener());
        assertEquals(40000, c.client().getPort());
        assertEquals("/vnc", c.path());
        assertEquals(route, c.route());
        assertEquals("mqtt", c.subprotocol().orElseThrow());
        assertEquals(11, c.bytesUp());
        assertEquals(2, c.messagesUp());
        assertEquals(13, c.bytesDown());
        assertEquals(3, c.messagesDown());
        assertEquals(t, c.opened());
        assertEquals(Duration.ofSeconds(9), c.age());
        assertEquals(Duration.ofSeconds(4), c.idle());
    }

    @Test
    void connectionInfoIdleNeverExceedsAge() {
        ConnectionInfo c = ConnectionInfo.withId(1).of("l", new InetSocketAddress("127.0.0.1", 1), "/", route)
                .times(Instant.now(), Duration.ofMillis(5), Duration.ofMillis(6)).build();
        assertEquals(Duration.ofMillis(5), c.idle());
    }

    @Test
    void connectionInfoRejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionInfo.withId(0));
        assertThrows(IllegalArgumentException.class, () -> ConnectionInfo.withId(1).traffic(0, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ConnectionInfo.withId(1)
                .times(Instant.now(), Duration.ofSeconds(-1), Duration.ZERO));
        assertThrows(NullPointerException.class, () -> ConnectionInfo.withId(1).of("l", null, "/", route));
        assertThrows(IllegalStateException.class, () -> ConnectionInfo.withId(1).build());
    }

    @Test
    void serviceInfo() {
        ServiceInfo s = new ServiceInfo("auto", "io.websocksy.framers", "0.1.0", 12, 40, 5, true);
        assertEquals("auto", s.name());
        assertEquals("io.websocksy.framers", s.bundleSymbolicName());
        assertEquals("0.1.0", s.bundleVersion());
        assertEquals(12, s.bundleId());
        assertEquals(40, s.serviceId());
        assertEquals(5, s.ranking());
        assertTrue(s.active());
        assertThrows(IllegalArgumentException.class, () -> new ServiceInfo("", "b", "1", 1, 1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new ServiceInfo("n", "b", "1", -1, 1, 0, true));
    }

    @Test
    void dryRunRequestKeepsOrderAndValues() {
        DryRunRequest r = DryRunRequest.forTarget("/vnc?token=a%20b").listener("main")
                .header("Origin", " https://example.com ").header("X-Two", "1").header("x-two", "2")
                .cookie("session", "abc").cookie("lang", "de").subprotocol("mqtt").subprotocol("chat")
                .remoteAddress(new InetSocketAddress("10.0.0.1", 5555)).build();
        assertEquals("main", r.listener().orElseThrow());
        assertTrue(r.backend().isEmpty());
        assertEquals("/vnc?token=a%20b", r.target());
        assertEquals(List.of(Map.entry("Origin", "https://example.com"), Map.entry("X-Two", "1"),
                Map.entry("x-two", "2")), r.headers());
        assertEquals(List.of("session", "lang"), List.copyOf(r.cookies().keySet()));
        assertEquals(List.of("mqtt", "chat"), r.subprotocols());
        assertEquals(5555, r.remoteAddress().getPort());
        assertEquals(0, DryRunRequest.forTarget("/").build().remoteAddress().getPort());
    }

    @Test
    void dryRunRequestRejectsWhatNoClientCouldSend() {
        assertThrows(IllegalArgumentException.class, () -> DryRunRequest.forTarget("vnc"));
        assertThrows(IllegalArgumentException.class, () -> DryRunRequest.forTarget(null));
        assertThrows(IllegalArgumentException.class, () -> DryRunRequest.forTarget("/a b"));
        assertThrows(IllegalArgumentException.class, () -> DryRunRequest.forTarget("/a#frag"));
        assertThrows(IllegalArgumentException.class, () -> DryRunRequest.forTarget("/\u00e9"));
        DryRunRequest.Builder b = DryRunRequest.forTarget("/");
        assertThrows(IllegalArgumentException.class, () -> b.header("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> b.header("X", "a\r\nInjected: yes"));
        assertThrows(IllegalArgumentException.class, () -> b.cookie("s", "a;b"));
        assertThrows(IllegalArgumentException.class, () -> b.cookie("s=", "a"));
        assertThrows(IllegalArgumentException.class, () -> b.subprotocol("a,b"));
        assertThrows(IllegalArgumentException.class, () -> b.subprotocol(""));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> DryRunRequest.forTarget("/").listener("l").backend("b"));
        assertEquals("name a listener or a backend, not both", both.getMessage());
    }

    @Test
    void dryRunResults() {
        DryRunResult ok = DryRunResult.upgrade("main", "be", route);
        assertTrue(ok.upgraded());
        assertEquals(101, ok.status());
        assertEquals("", ok.cause());
        assertEquals("main", ok.listener().orElseThrow());
        assertEquals(route, ok.route().orElseThrow());

        DryRunResult no = DryRunResult.failed(404, "no route", null, "be", null);
        assertFalse(no.upgraded());
        assertEquals(404, no.status());
        assertTrue(no.listener().isEmpty());
        assertTrue(no.route().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> DryRunResult.failed(200, "x", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> DryRunResult.failed(500, "", null, null, null));
        assertThrows(NullPointerException.class, () -> DryRunResult.upgrade(null, "be", null));
    }
}
