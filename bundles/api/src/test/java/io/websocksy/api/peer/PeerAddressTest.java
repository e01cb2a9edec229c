package io.websocksy.api.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tcp://localhost:5900,         TCP, localhost,   5900, tcp://localhost:5900",
        "udp://10.0.0.5:53,            UDP, 10.0.0.5,    53,   udp://10.0.0.5:53",
        "TCP://Example.COM:80/,        TCP, Example.COM, 80,   tcp://Example.COM:80",
        "tcp://[::1]:9000,             TCP, ::1,         9000, tcp://[::1]:9000",
        "udp://[fe80::1%eth0]:7,       UDP, fe80::1%eth0, 7,   udp://[fe80::1%eth0]:7",
        "tcp://host_1.example:65535,   TCP, host_1.example, 65535, tcp://host_1.example:65535",
        "tcp://h:1,                    TCP, h,           1,    tcp://h:1",
    })
    void inetAddresses(String text, Transport transport, String host, int port, String canonical) {
        PeerAddress a = PeerAddress.parse(text);
        assertEquals(transport, a.transport());
        assertEquals(host, a.host());
        assertEquals(port, a.port());
        assertTrue(a.hasPort());
        assertTrue(a.isComplete());
        assertNull(a.path());
        assertFalse(a.schemeDefaulted());
        assertEquals(canonical, a.toString());
        assertEquals(a, PeerAddress.parse(a.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "unix:///run/x.sock,       UNIX,       /run/x.sock",
        "unix:/run/x.sock,         UNIX,       /run/x.sock",
        "unix://relative.sock,     UNIX,       relative.sock",
        "unix-dgram:///tmp/d.sock, UNIX_DGRAM, /tmp/d.sock",
        "unix-dgram:/tmp/d.sock,   UNIX_DGRAM, /tmp/d.sock",
    })
    void unixAddresses(String text, Transport transport, String path) {
        PeerAddress a = PeerAddress.parse(text);
        assertEquals(transport, a.transport());
        assertEquals(path, a.path());
        assertNull(a.host());
        assertEquals(PeerAddress.NO_PORT, a.port());
        assertFalse(a.hasPort());
        assertTrue(a.isComplete());
        assertFalse(a.schemeDefaulted());
        assertSame(a, a.withDefaultPort(80));
        assertSame(a, a.withPort(80));
        assertEquals(a, PeerAddress.parse(a.toString()));
    }

    @Test
    void missingPort() {
        PeerAddress a = PeerAddress.parse("tcp://localhost");
        assertFalse(a.hasPort());
        assertFalse(a.isComplete());
        assertEquals(PeerAddress.NO_PORT, a.port());
        assertEquals("tcp://localhost", a.toString());

        PeerAddress b = a.withDefaultPort(5900);
        assertEquals(5900, b.port());
        assertTrue(b.isComplete());
        assertEquals(PeerAddress.parse("tcp://localhost:5900"), b);
        assertSame(b, b.withDefaultPort(1), "a present port is kept");
        assertEquals(22, b.withPort(22).port(), "withPort overrides");

        PeerAddress v6 = PeerAddress.parse("udp://[::1]");
        assertFalse(v6.hasPort());
        assertEquals("udp://[::1]:7", v6.withDefaultPort(7).toString());
        assertThrows(InvalidPeerAddressException.class, () -> a.withDefaultPort(0));
        assertThrows(InvalidPeerAddressException.class, () -> a.withPort(65536));
    }

    @ParameterizedTest
    @CsvSource({"localhost:5900, localhost, 5900", "10.1.2.3, 10.1.2.3, -1", "'[::1]:9', ::1, 9"})
    void noSchemeMeansTcp(String text, String host, int port) {
        PeerAddress a = PeerAddress.parse(text);
        assertEquals(Transport.TCP, a.transport());
        assertTrue(a.schemeDefaulted());
        assertEquals(host, a.host());
        assertEquals(port, a.port());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(PeerAddress.parse("tcp://a:1"), PeerAddress.parse("  tcp://a:1 "));
        // a trailing CR or LF from a hand-edited file is dropped; other control bytes are reported
        assertEquals(PeerAddress.parse("unix:/tmp/a"), PeerAddress.parse("unix:/tmp/a\r\n"));
        InvalidPeerAddressException e = assertThrows(InvalidPeerAddressException.class,
                () -> PeerAddress.parse("unix:/tmp/a\u0007"));
        assertTrue(e.getMessage().contains("control character"), e.getMessage());
    }

    @Test
    void schemeWithoutSlashesNamesTheRightForm() {
        InvalidPeerAddressException e = assertThrows(InvalidPeerAddressException.class,
                () -> PeerAddress.parse("udp:host:1"));
        assertTrue(e.getMessage().contains("udp://host:port"), e.getMessage());
    }

    @Test
    void hostsCompareCaseInsensitively() {
        assertEquals(PeerAddress.parse("tcp://EXAMPLE.com:1"), PeerAddress.parse("tcp://example.COM:1"));
        assertEquals(PeerAddress.parse("tcp://EXAMPLE.com:1").hashCode(), PeerAddress.parse("tcp://example.COM:1").hashCode());
        assertNotEquals(PeerAddress.parse("tcp://a:1"), PeerAddress.parse("udp://a:1"));
        assertNotEquals(PeerAddress.parse("unix:/A"), PeerAddress.parse("unix:/a"));
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
        "foo://x:1            | unknown scheme 'foo'",
        "http://x:80          | unknown scheme 'http'",
        "tcp://x:0            | out of range",
        "tcp://x:70000        | out of range",
        "tcp://x:65536        | out of range",
        "tcp://x:abc          | bad port 'abc'",
        "tcp://x:             | bad port",
        "tcp://x:-1           | bad port",
        "tcp://x:123456       | bad port",
        "tcp://::1:9000       | brackets",
        "tcp://fe80::1        | brackets",
        "::1                  | brackets",
        "tcp://[::1           | unterminated",
        "tcp://[]:1           | bad IPv6 literal",
        "tcp://[abc]:1        | bad IPv6 literal",
        "tcp://[::1]x         | after IPv6 literal",
        "tcp://:1             | empty host",
        "tcp://               | empty host",
        "tcp://a b:1          | invalid character ' '",
        "tcp://a:1/path       | has no path",
        "unix://              | empty socket path",
        "unix:                | empty socket path",
        "unix://@abstract     | abstract",
        "unix-dgram:@x        | abstract",
    })
    void rejected(String text, String problem) {
        InvalidPeerAddressException e = assertThrows(InvalidPeerAddressException.class, () -> PeerAddress.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://a\u0000b:1", "tcp://a:1\nx", "unix:/tmp/a\u0007b", "unix:/tmp/a\u007f", "tcp://a\tb:1"})
    void controlCharactersAreRejected(String text) {
        InvalidPeerAddressException e = assertThrows(InvalidPeerAddressException.class, () -> PeerAddress.parse(text));
        assertTrue(e.getMessage().contains("control character"), e.getMessage());
    }

    @Test
    void emptyAndNullAreRejected() {
        assertThrows(InvalidPeerAddressException.class, () -> PeerAddress.parse(null));
        assertThrows(InvalidPeerAddressException.class, () -> PeerAddress.parse(""));
        assertThrows(InvalidPeerAddressException.class, () -> PeerAddress.parse("   "));
    }

    @Test
    void unixPathLength() {
        String ok = "/" + "a".repeat(PeerAddress.MAX_UNIX_PATH - 1);
        assertEquals(ok, PeerAddress.parse("unix://" + ok).path());
        String tooLong = ok + "a";
        InvalidPeerAddressException e = assertThrows(InvalidPeerAddressException.class,
                () -> PeerAddress.parse("unix://" + tooLong));
        assertTrue(e.getMessage().contains("longer than 107 bytes"), e.getMessage());
        // the limit is in bytes, not characters: 54 two-byte characters are 108 bytes
        String wide = "/" + "é".repeat(54);
        assertThrows(InvalidPeerAddressException.class, () -> PeerAddress.parse("unix-dgram://" + wide));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "80, 80", "' 443 ', 443", "00080, 80", "65535, 65535"})
    void parsePort(String text, int port) {
        assertEquals(port, PeerAddress.parsePort(text, "ctx"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "99999", "+80", "8 0", "", "0x50", "123456"})
    void parsePortRejects(String text) {
        InvalidPeerAddressException e = assertThrows(InvalidPeerAddressException.class,
                () -> PeerAddress.parsePort(text, "ctx"));
        assertTrue(e.getMessage().startsWith("invalid peer address 'ctx': "), e.getMessage());
    }

    @Test
    void transports() {
        assertEquals(Transport.UNIX_DGRAM, Transport.forScheme("UNIX-DGRAM"));
        assertNull(Transport.forScheme("sctp"));
        assertTrue(Transport.TCP.isStream());
        assertTrue(Transport.UNIX.isStream());
        assertFalse(Transport.UDP.isStream());
        assertFalse(Transport.UNIX_DGRAM.isStream());
        assertTrue(Transport.UNIX_DGRAM.isUnix());
        assertFalse(Transport.UDP.isUnix());
        assertEquals("unix-dgram", Transport.UNIX_DGRAM.scheme());
    }
}
