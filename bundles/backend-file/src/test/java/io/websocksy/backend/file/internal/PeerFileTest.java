package io.websocksy.backend.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.PeerAddress;

class PeerFileTest {
    private final List<String> warnings = new ArrayList<>();

    private PeerFile parse(String text) {
        return PeerFile.parse(text.getBytes(StandardCharsets.UTF_8), "routes.txt", warnings::add);
    }

    @Test
    void fieldsAndDefaults() {
        PeerFile f = parse("tcp://a:1 *\n"
                + "udp://[::1]:53\tdns\tbinary\n"
                + "unix:///run/x.sock  -  newline   lf\n"
                + "tcp://b:2 p separator  a  b\t c \n");
        assertEquals(4, f.lines().size());
        PeerFile.Line l0 = f.lines().get(0);
        assertEquals(PeerAddress.parse("tcp://a:1"), l0.peer());
        assertEquals("*", l0.protocol());
        assertEquals(Route.DEFAULT_FRAMER, l0.framing());
        assertEquals("", l0.framingConfig());
        assertEquals("udp://[::1]:53", f.lines().get(1).peer().toString());
        assertEquals("dns", f.lines().get(1).protocol());
        assertEquals("binary", f.lines().get(1).framing());
        assertEquals("-", f.lines().get(2).protocol());
        assertEquals("lf", f.lines().get(2).framingConfig());
        assertEquals("a  b\t c", f.lines().get(3).framingConfig());
        assertEquals(4, f.lines().get(3).number());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void r7CommentsBlankLinesCrlfBomAreAccepted() {
        PeerFile f = parse("\uFEFF# header comment\r\n\r\n \t \r\n\t# indented\r\ntcp://a:1 *\r\n\r\n");
        assertEquals(1, f.lines().size());
        assertEquals(5, f.lines().get(0).number());
        assertEquals("", f.lines().get(0).framingConfig());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void emptyFileHasNoLines() {
        assertEquals(0, parse("").lines().size());
        assertEquals(0, parse("\n\n# only comments\n").lines().size());
        assertEquals(Optional.empty(), parse("").select(List.of()));
    }

    /** R7 and the C original's SIGSEGV on a line without a subprotocol. */
    @Test
    void r7LineWithoutSubprotocolIsSkippedWithFileAndLine() {
        PeerFile f = parse("tcp://a:1\ntcp://b:2 *\n");
        assertEquals(1, f.lines().size());
        assertEquals(List.of("routes.txt:1: no subprotocol column after the peer (write '*' for the client's first "
                + "offer or '-' for none); line skipped"), warnings);
    }

    @Test
    void badLinesAreSkippedEachWithOneWarning() {
        PeerFile f = parse("foo://h:1 *\n"            // unknown scheme
                + "tcp://h:99999 *\n"                 // bad port
                + "tcp://h:1 bad,proto\n"             // not a token
                + "tcp://h:1 * fr$amer\n"             // bad framer name
                + "tcp://h:1 * auto a\u0001b\n"       // control character
                + "tcp://ok:1 *\n");
        assertEquals(1, f.lines().size());
        assertEquals(5, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("routes.txt:1: invalid peer address 'foo://h:1': unknown scheme"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("routes.txt:2: "), warnings.get(1));
        assertTrue(warnings.get(2).startsWith("routes.txt:3: subprotocol 'bad,proto'"), warnings.get(2));
        assertTrue(warnings.get(3).startsWith("routes.txt:4: framer name 'fr$amer'"), warnings.get(3));
        assertTrue(warnings.get(4).startsWith("routes.txt:5: control character"), warnings.get(4));
    }

    @Test
    void doubtfulPeersAreKeptWithAWarning() {
        PeerFile f = parse("localhost:5900 *\ntcp://noport *\n");
        assertEquals(2, f.lines().size());
        assertEquals("tcp://localhost:5900", f.lines().get(0).peer().toString());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(":1: peer 'localhost:5900' has no scheme; using tcp://"), warnings.get(0));
        assertTrue(warnings.get(1).contains(":2: peer tcp://noport has no port"), warnings.get(1));
    }

    @Test
    void nonUtf8AndOverlongLines() {
        byte[] latin1 = "tcp://h:1 caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] rest = ("tcp://h:1 * newline " + "z".repeat(PeerFile.MAX_LINE_BYTES) + "\ntcp://ok:1 *")
                .getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[latin1.length + rest.length];
        System.arraycopy(latin1, 0, all, 0, latin1.length);
        System.arraycopy(rest, 0, all, latin1.length, rest.length);
        PeerFile f = PeerFile.parse(all, "r", warnings::add);
        assertEquals(1, f.lines().size());
        assertEquals(3, f.lines().get(0).number());
        assertEquals(List.of("r:1: not valid UTF-8; skipped", "r:2: line longer than 4096 bytes; skipped"), warnings);
    }

    @Test
    void selectWithoutOffersTakesTheFirstLine() {
        PeerFile f = parse("tcp://a:1 mqtt binary\ntcp://b:1 *\n");
        PeerFile.Selected s = f.select(List.of()).orElseThrow();
        assertEquals(1, s.line().number());
        assertEquals(Route.to(PeerAddress.parse("tcp://a:1")).framer("binary").build(), s.route());
    }

    @Test
    void selectWithOffers() {
        PeerFile f = parse("tcp://none:1 -\ntcp://c:1 c\ntcp://b:1 B newline lf\ntcp://star:1 *\n");
        PeerFile.Selected s = f.select(List.of("a", "b")).orElseThrow();
        assertEquals("tcp://b:1", s.route().peer().toString());
        assertEquals(Optional.of("b"), s.route().subprotocol());
        assertEquals("newline", s.route().framer());
        assertEquals("lf", s.route().framerConfig());

        PeerFile.Selected star = f.select(List.of("x", "y")).orElseThrow();
        assertEquals("tcp://star:1", star.route().peer().toString());
        assertEquals(Optional.of("x"), star.route().subprotocol());

        assertEquals(Optional.empty(), parse("tcp://c:1 c\n").select(List.of("a", "b")));
        assertEquals(Optional.empty(), parse("tcp://n:1 -\n").select(List.of("a")));
    }

    @Test
    void firstLineInFileOrderWinsNotFirstOffer() {
        PeerFile f = parse("tcp://b:1 b\ntcp://a:1 a\n");
        assertEquals("tcp://b:1", f.select(List.of("a", "b")).orElseThrow().route().peer().toString());
    }
}
