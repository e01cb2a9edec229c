package io.websocksy.api.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.websocksy.api.backend.PeerProxyProtocol;
import io.websocksy.api.backend.Route;
import io.websocksy.api.backend.RouteException;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.api.peer.Transport;

class TokenSourceTest {
    @Test
    void defaultIsQueryToken() {
        TokenSource s = TokenSource.parse(null);
        assertEquals(TokenSource.Kind.QUERY, s.kind());
        assertEquals("query:token", s.toString());
        assertEquals(Optional.of("abc"), s.extract(new FakeRequest().query("token", "abc")));
        assertEquals(Optional.empty(), s.extract(new FakeRequest().query("other", "abc")));
        assertEquals(Optional.empty(), s.extract(new FakeRequest().query("token", "")));
    }

    @Test
    void cookieHeaderAndPath() {
        assertEquals(Optional.of("c1"), TokenSource.parse("cookie:sid").extract(new FakeRequest().cookie("sid", "c1")));
        assertEquals(Optional.of("h1"), TokenSource.parse("header:X-Token").extract(new FakeRequest().header("x-token", " h1 ")));
        assertEquals(Optional.of("j.w.t"), TokenSource.parse("header:Authorization")
                .extract(new FakeRequest().header("Authorization", "Bearer j.w.t")));
        TokenSource path = TokenSource.parse(" PATH ");
        assertEquals(Optional.of("tok en"), path.extract(new FakeRequest().path("/vnc/tok%20en/")));
        assertEquals(Optional.of("t"), path.extract(new FakeRequest().path("/t")));
        assertEquals(Optional.empty(), path.extract(new FakeRequest().path("/")));
        assertEquals(Optional.empty(), path.extract(new FakeRequest().path("/bad%zz")));
    }

    @Test
    void protocolPrefixEntryIsTheTokenAndNeverAnOffer() {
        TokenSource s = TokenSource.parse("protocol:base64url.bearer.authorization.k8s.io.");
        FakeRequest r = new FakeRequest().protocols("base64url.bearer.authorization.k8s.io.c2VjcmV0", "binary");
        assertEquals(Optional.of("c2VjcmV0"), s.extract(r));
        assertEquals(List.of("binary"), s.offers(r));
        assertEquals("binary", TokenRoutes.chooseSubprotocol("*", s.offers(r)));
        assertEquals(List.of("a", "b"), TokenSource.parse("query:t").offers(new FakeRequest().protocols("a", "b")));
    }

    @Test
    void badSpecsAreRejectedNamingThem() {
        for (String bad : new String[] {"query:", "form:x", "token", "cookie:a b", ":x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenSource.parse(bad));
            assertTrue(e.getMessage().contains(bad.trim()), e.getMessage());
        }
    }

    @Test
    void requireIs403WithoutTheToken() {
        RouteException e = assertThrows(RouteException.class, () -> TokenSource.parse("cookie:sid").require(new FakeRequest()));
        assertEquals(403, e.status());
        assertEquals("no token in cookie:sid", e.getMessage());
    }

    @Test
    void hashIsShortStableAndNotTheToken() {
        String h = TokenSource.hash("secret-token");
        assertEquals(h, TokenSource.hash("secret-token"));
        assertNotEquals(h, TokenSource.hash("secret-tokeN"));
        assertTrue(h.matches("sha256:[0-9a-f]{12}"), h);
    }

    @Test
    void targetsAndRoutes() {
        assertEquals(PeerAddress.parse("tcp://127.0.0.1:5900"), TokenRoutes.target("127.0.0.1:5900"));
        assertEquals(Transport.UNIX, TokenRoutes.target("unix:///run/vnc.sock").transport());
        assertThrows(IllegalArgumentException.class, () -> TokenRoutes.target("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> TokenRoutes.target(" "));
        Route r = TokenRoutes.route(TokenRoutes.target("udp://127.0.0.1:53"), "binary", null, "MQTT", List.of("mqtt"),
                PeerProxyProtocol.V2).build();
        assertEquals("mqtt", r.subprotocol().orElseThrow());
        assertEquals(PeerProxyProtocol.OFF, r.peerProxyProtocol()); // datagram peer: never a header
        assertNull(TokenRoutes.chooseSubprotocol("", List.of("x")));
        assertNull(TokenRoutes.chooseSubprotocol("y", List.of("x")));
    }
}
