package io.websocksy.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.websocksy.api.peer.PeerAddress;

class RouteTest {
    private final PeerAddress peer = PeerAddress.parse("tcp://localhost:5900");

    @Test
    void defaults() {
        Route r = Route.to(peer).build();
        assertEquals(peer, r.peer());
        assertEquals("auto", r.framer());
        assertEquals(Route.DEFAULT_FRAMER, r.framer());
        assertEquals("", r.framerConfig());
        assertEquals(Optional.empty(), r.subprotocol());
        assertEquals("Route[tcp://localhost:5900, framer=auto, subprotocol=-]", r.toString());
    }

    @Test
    void everythingSet() {
        Route r = Route.to(peer).framer(" newline ").framerConfig(" lf").subprotocol("chat").build();
        assertEquals("newline", r.framer());
        assertEquals(" lf", r.framerConfig(), "the config string is passed on as given");
        assertEquals(Optional.of("chat"), r.subprotocol());
        assertEquals("Route[tcp://localhost:5900, framer=newline ' lf', subprotocol=chat]", r.toString());
    }

    @Test
    void blankOrNullMeansDefault() {
        assertEquals("auto", Route.to(peer).framer(null).build().framer());
        assertEquals("auto", Route.to(peer).framer("  ").build().framer());
        assertEquals("", Route.to(peer).framerConfig(null).build().framerConfig());
        assertEquals(Optional.empty(), Route.to(peer).subprotocol("x").subprotocol(null).build().subprotocol());
    }

    @Test
    void nullPeerIsRejected() {
        assertThrows(NullPointerException.class, () -> Route.to(null));
    }

    @Test
    void valueEquality() {
        Route a = Route.to(peer).framer("separator").framerConfig("\\n").subprotocol("p").build();
        Route b = Route.to(PeerAddress.parse("tcp://LOCALHOST:5900")).framer("separator").framerConfig("\\n")
                .subprotocol("p").build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Route.to(peer).framer("separator").framerConfig("\\n").build());
        assertNotEquals(a, Route.to(peer).framer("separator").framerConfig("\\r").subprotocol("p").build());
        assertNotEquals(a, Route.to(peer).framer("newline").framerConfig("\\n").subprotocol("p").build());
        assertNotEquals(a, Route.to(PeerAddress.parse("udp://localhost:5900")).framer("separator")
                .framerConfig("\\n").subprotocol("p").build());
    }

    @Test
    void builderCanBeReused() {
        Route.Builder b = Route.to(peer).framer("binary");
        Route first = b.build();
        Route second = b.framer("auto").build();
        assertEquals("binary", first.framer());
        assertEquals("auto", second.framer());
    }
}
