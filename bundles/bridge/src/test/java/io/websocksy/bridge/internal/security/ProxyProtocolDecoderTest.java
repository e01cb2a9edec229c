package io.websocksy.bridge.internal.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.websocksy.bridge.internal.LeakGuard;

/** The strict PROXY protocol v1/v2 decoder, fed whole and byte by byte; malformed headers close. */
class ProxyProtocolDecoderTest {
    private final List<String> rejections = new ArrayList<>();

    @BeforeEach
    void guard() {
        LeakGuard.install();
    }

    @AfterEach
    void leaks() {
        LeakGuard.assertNoLeaks();
    }

    private EmbeddedChannel channel(ProxyProtocolDecoder.Mode mode, boolean trusted) {
        return new EmbeddedChannel(new ProxyProtocolDecoder(mode, trusted, (ctx, cause) -> rejections.add(cause)));
    }

    /** Feeds {@code bytes} whole or one byte at a time; returns what passed through as text. */
    private String feed(EmbeddedChannel ch, byte[] bytes, boolean byteByByte) {
        if (byteByByte) {
            for (byte b : bytes) {
                if (ch.isOpen()) {
                    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                }
            }
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = ch.readInbound()) != null;) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] v2(int verCmd, int famProto, byte[] addr, int extra) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ProxyProtocolDecoder.V2_SIGNATURE);
        o.write(verCmd);
        o.write(famProto);
        int len = addr.length + extra;
        o.write(len >> 8);
        o.write(len);
        o.writeBytes(addr);
        o.writeBytes(new byte[extra]); // a TLV area, skipped
        return o.toByteArray();
    }

    static byte[] v2Tcp4(int a, int b, int c, int d, int port) {
        return v2(0x21, 0x11, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d, 10, 0, 0, 1,
            (byte) (port >> 8), (byte) port, 0x1f, (byte) 0x90}, 7);
    }

    @Test
    void v1FromTrustedSetsTheRealAddressAndPassesTheRest() {
        for (boolean chop : new boolean[] {false, true}) {
            EmbeddedChannel ch = channel(ProxyProtocolDecoder.Mode.ANY, true);
            String rest = feed(ch, ascii("PROXY TCP4 198.51.100.22 10.0.0.1 35646 80\r\nGET / HTTP/1.1\r\n"), chop);
            assertEquals("GET / HTTP/1.1\r\n", rest);
            assertEquals("198.51.100.22:35646", ClientAddress.format(ch.attr(ClientAddress.REAL).get()));
            assertNull(ch.pipeline().get(ProxyProtocolDecoder.class), "removes itself");
            assertTrue(ch.isOpen());
            ch.finishAndReleaseAll();
        }
        EmbeddedChannel v6 = channel(ProxyProtocolDecoder.Mode.V1, true);
        feed(v6, ascii("PROXY TCP6 2001:db8::1 ::1 1 65535\r\n"), false);
        assertEquals("[2001:db8::1]:1", ClientAddress.format(v6.attr(ClientAddress.REAL).get()));
        v6.finishAndReleaseAll();
        EmbeddedChannel unknown = channel(ProxyProtocolDecoder.Mode.V1, true);
        assertEquals("x", feed(unknown, ascii("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\nx"), false));
        assertNull(unknown.attr(ClientAddress.REAL).get(), "UNKNOWN keeps the TCP peer");
        unknown.finishAndReleaseAll();
        assertTrue(rejections.isEmpty(), rejections.toString());
    }

    @Test
    void v2FromTrusted() {
        for (boolean chop : new boolean[] {false, true}) {
            EmbeddedChannel ch = channel(ProxyProtocolDecoder.Mode.V2, true);
            byte[] h = v2Tcp4(203, 0, 113, 5, 50000);
            byte[] all = new byte[h.length + 3];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(ascii("GET"), 0, all, h.length, 3);
            assertEquals("GET", feed(ch, all, chop));
            assertEquals("203.0.113.5:50000", ClientAddress.format(ch.attr(ClientAddress.REAL).get()));
            ch.finishAndReleaseAll();
        }
        byte[] v6 = new byte[36];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[15] = 9;
        v6[32] = 0x12;
        v6[33] = 0x34;
        EmbeddedChannel ch6 = channel(ProxyProtocolDecoder.Mode.ANY, true);
        feed(ch6, v2(0x21, 0x21, v6, 0), false);
        assertEquals("[2001::9]:4660", ClientAddress.format(ch6.attr(ClientAddress.REAL).get()));
        ch6.finishAndReleaseAll();
        EmbeddedChannel local = channel(ProxyProtocolDecoder.Mode.ANY, true);
        assertEquals("hi", feed(local, concat(v2(0x20, 0x00, new byte[0], 0), ascii("hi")), false));
        assertNull(local.attr(ClientAddress.REAL).get(), "LOCAL keeps the TCP peer");
        local.finishAndReleaseAll();
        assertTrue(rejections.isEmpty(), rejections.toString());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] o = new byte[a.length + b.length];
        System.arraycopy(a, 0, o, 0, a.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    @Test
    void untrustedDirectClientPassesAndUntrustedHeaderCloses() {
        EmbeddedChannel direct = channel(ProxyProtocolDecoder.Mode.ANY, false);
        assertEquals("GET / HTTP/1.1\r\n", feed(direct, ascii("GET / HTTP/1.1\r\n"), true));
        assertTrue(direct.isOpen());
        assertNull(direct.attr(ClientAddress.REAL).get());
        direct.finishAndReleaseAll();
        for (byte[] h : new byte[][] {ascii("PROXY TCP4 1.2.3.4 10.0.0.1 1 2\r\nGET"), v2Tcp4(1, 2, 3, 4, 5)}) {
            EmbeddedChannel ch = channel(ProxyProtocolDecoder.Mode.ANY, false);
            assertEquals("", feed(ch, h, false));
            assertFalse(ch.isOpen());
            assertNull(ch.attr(ClientAddress.REAL).get());
            ch.finishAndReleaseAll();
        }
        assertEquals(2, rejections.size());
        assertTrue(rejections.get(0).contains("not in trusted-proxies"), rejections.get(0));
    }

    @Test
    void trustedWithoutHeaderOrWrongVersionCloses() {
        assertRejected(ProxyProtocolDecoder.Mode.ANY, ascii("GET / HTTP/1.1\r\n"), "no PROXY header");
        assertRejected(ProxyProtocolDecoder.Mode.V1, v2Tcp4(1, 2, 3, 4, 5), "proxy-protocol = v1");
        assertRejected(ProxyProtocolDecoder.Mode.V2, ascii("PROXY TCP4 1.2.3.4 1.2.3.4 1 2\r\n"), "proxy-protocol = v2");
    }

    @Test
    void malformedV1() {
        String[] bad = {
            "PROXY TCP4 1.2.3.4 10.0.0.1 1 2\n",            // LF without CR
            "PROXY TCP5 1.2.3.4 10.0.0.1 1 2\r\n",          // protocol
            "PROXY TCP4 1.2.3.4 10.0.0.1 1\r\n",            // field count
            "PROXY TCP4 1.2.3.256 10.0.0.1 1 2\r\n",        // address
            "PROXY TCP4 ::1 10.0.0.1 1 2\r\n",              // family mismatch
            "PROXY TCP6 1.2.3.4 ::1 1 2\r\n",
            "PROXY TCP4 1.2.3.4 10.0.0.1 65536 2\r\n",      // port range
            "PROXY TCP4 1.2.3.4 10.0.0.1 01 2\r\n",         // leading zero
            "PROXY TCP4 1.2.3.4  10.0.0.1 1 2\r\n",         // double space
            "PROXY TCP4 1.2.3.4 10.0.0.1 1 2 \r\n",         // trailing space
            "PROXY TCP4 1.2.3.4\u0000 10.0.0.1 1 2\r\n",    // control byte
            "PROXY " + "x".repeat(120),                       // no CRLF in 107 bytes
        };
        for (String b : bad) {
            assertRejected(ProxyProtocolDecoder.Mode.ANY, ascii(b), "malformed");
        }
    }

    @Test
    void malformedV2() {
        byte[] tcp4 = new byte[12];
        assertRejected(ProxyProtocolDecoder.Mode.ANY, v2(0x11, 0x11, tcp4, 0), "version 1");
        assertRejected(ProxyProtocolDecoder.Mode.ANY, v2(0x22, 0x11, tcp4, 0), "command");
        assertRejected(ProxyProtocolDecoder.Mode.ANY, v2(0x21, 0x41, tcp4, 0), "family");
        assertRejected(ProxyProtocolDecoder.Mode.ANY, v2(0x21, 0x11, new byte[8], 0), "address block");
        assertRejected(ProxyProtocolDecoder.Mode.ANY, v2(0x21, 0x12, tcp4, 0), "DGRAM");
        assertRejected(ProxyProtocolDecoder.Mode.ANY, v2(0x21, 0x11, tcp4, ProxyProtocolDecoder.MAX_V2_LENGTH), "length");
    }

    @Test
    void incompleteHeaderWaits() {
        EmbeddedChannel ch = channel(ProxyProtocolDecoder.Mode.ANY, true);
        byte[] h = v2Tcp4(1, 2, 3, 4, 5);
        ch.writeInbound(Unpooled.wrappedBuffer(h, 0, h.length - 1));
        assertTrue(ch.isOpen());
        assertNull(ch.attr(ClientAddress.REAL).get());
        assertNotNull(ch.pipeline().get(ProxyProtocolDecoder.class));
        ch.finishAndReleaseAll();
        assertThrows(IllegalArgumentException.class, () -> ProxyProtocolDecoder.Mode.parse("v3"));
    }

    private void assertRejected(ProxyProtocolDecoder.Mode mode, byte[] bytes, String expected) {
        for (boolean chop : new boolean[] {false, true}) {
            rejections.clear();
            EmbeddedChannel ch = channel(mode, true);
            assertEquals("", feed(ch, bytes, chop), "nothing passes: " + new String(bytes, StandardCharsets.ISO_8859_1));
            assertFalse(ch.isOpen(), "closed: " + new String(bytes, StandardCharsets.ISO_8859_1));
            assertEquals(1, rejections.size(), rejections.toString());
            assertTrue(rejections.get(0).contains(expected), rejections.get(0) + " should contain " + expected);
            ch.finishAndReleaseAll();
        }
    }
}
