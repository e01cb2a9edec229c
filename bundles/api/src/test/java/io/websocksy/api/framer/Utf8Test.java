package io.websocksy.api.framer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static int check(String h) {
        byte[] b = hex(h);
        return Utf8.check(ByteBuffer.wrap(b), 0, b.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "41", "68656c6c6f20776f726c6421", "c3a9", "c2 80", "df bf", "e282ac", "e0 a0 80",
        "ed 9f bf", "ee 80 80", "ef bf bf", "f0a4ada2", "f0 90 80 80", "f4 8f bf bf",
        "41 42 43 44 45 46 47 48 c3 a9 49 4a 4b 4c 4d 4e 4f 50 51"})
    void valid(String h) {
        assertEquals(0, check(h), h);
        assertTrue(Utf8.isValid(ByteBuffer.wrap(hex(h))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c0 af", "c1 bf",                 // overlong 2-byte
        "e0 80 af", "e0 9f bf",           // overlong 3-byte
        "f0 80 80 af", "f0 8f bf bf",     // overlong 4-byte
        "ed a0 80", "ed bf bf",           // surrogates
        "f4 90 80 80",                    // above U+10FFFF
        "f5 80 80 80", "f8", "fc", "fe", "ff",
        "80", "bf", "41 80 41",           // lone continuation
        "c3 28", "e2 28 a1", "e2 82 28", "f0 28 8c bc", "f0 90 28 bc", "f0 90 8c 28",
        "c3 c3 a9",
        "41 41 41 41 41 41 41 41 41 ff",  // after the 8-byte ASCII fast path
        // incomplete but already invalid: the second byte is out of range for the lead byte
        "e0 80", "e0 9f", "ed a0", "f0 80", "f0 8f", "f4 90", "f4 90 80", "c0", "f5",
    })
    void invalid(String h) {
        assertEquals(Utf8.INVALID, check(h), h);
        assertFalse(Utf8.isValid(ByteBuffer.wrap(hex(h))));
    }

    @ParameterizedTest
    @CsvSource({
        "c3, 1", "41 c3, 1", "e2, 1", "e2 82, 2", "e0 a0, 2", "ed 9f, 2", "f0, 1", "f0 a4, 2", "f0 a4 ad, 3",
        "f4 8f bf, 3", "41 42 43 44 45 46 47 48 49 f0 90, 2", "c3 a9 e2 82, 2"})
    void incompleteTailThatIsValidSoFar(String h, int tail) {
        assertEquals(tail, check(h), h);
        assertFalse(Utf8.isValid(ByteBuffer.wrap(hex(h))));
    }

    @Test
    void usesAbsoluteIndexesAndLeavesPositionAlone() {
        byte[] b = hex("ff ff 41 c3 a9 e2 82 ff");
        // indexes before the position are fine; absolute gets are still bounded by the limit
        ByteBuffer buf = ByteBuffer.wrap(b).position(5);
        assertEquals(0, Utf8.check(buf, 2, 3));
        assertEquals(2, Utf8.check(buf, 2, 5));
        assertEquals(Utf8.INVALID, Utf8.check(buf, 2, 6));
        assertEquals(Utf8.INVALID, Utf8.check(buf, 0, 1));
        assertEquals(5, buf.position());
        assertEquals(8, buf.limit());
        assertTrue(Utf8.isValid(ByteBuffer.wrap(b).position(2).limit(5)));
    }

    @Test
    void directReadOnlyAndLittleEndianBuffersWork() {
        byte[] b = "0123456789abcdefé€𤭢".getBytes(StandardCharsets.UTF_8);
        ByteBuffer d = ByteBuffer.allocateDirect(b.length).put(b).flip();
        assertEquals(0, Utf8.check(d.asReadOnlyBuffer(), 0, b.length));
        assertEquals(0, Utf8.check(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN), 0, b.length));
        b[3] = (byte) 0x80;
        assertEquals(Utf8.INVALID, Utf8.check(ByteBuffer.wrap(b).asReadOnlyBuffer(), 0, b.length));
    }

    /** Agrees with the JDK's strict decoder on random short byte strings (biased towards UTF-8 lead bytes). */
    @Test
    void agreesWithTheJdkDecoder() {
        Random r = new Random(7);
        int[] interesting = {0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0,
            0xf4, 0xf5, 0xff};
        for (int round = 0; round < 100_000; round++) {
            byte[] b = new byte[1 + r.nextInt(6)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (r.nextBoolean() ? interesting[r.nextInt(interesting.length)] : r.nextInt(256));
            }
            int result = Utf8.check(ByteBuffer.wrap(b), 0, b.length);
            boolean jdkValid = decodes(b, b.length);
            assertEquals(jdkValid, result == 0, HexFormat.of().formatHex(b));
            if (result > 0) {
                // the prefix is valid, and some completion of the tail is valid
                assertTrue(result <= 3);
                assertTrue(decodes(b, b.length - result), HexFormat.of().formatHex(b));
                assertTrue(completable(b, result), HexFormat.of().formatHex(b));
            }
        }
    }

    /**
     * Long inputs (ASCII runs with interesting bytes at random places, so the 8-byte fast path and its jump to
     * the first high byte are exercised at every alignment), in heap, direct, big- and little-endian buffers at
     * an offset: the same answer as the JDK's decoder.
     */
    @Test
    void longInputsAgreeWithTheJdkDecoderInEveryBufferKind() {
        Random r = new Random(11);
        int[] interesting = {0x80, 0xbf, 0xc2, 0xc3, 0xa9, 0xdf, 0xe0, 0xa0, 0xe2, 0x82, 0xac, 0xed, 0x9f, 0xf0, 0x90,
            0xf4, 0x8f, 0xf5, 0xff};
        String[] good = {"é", "€", "𤭢", "日本", "ï"};
        for (int round = 0; round < 20_000; round++) {
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
            int n = 1 + r.nextInt(80);
            while (o.size() < n) {
                int k = r.nextInt(10);
                if (k < 6) {
                    o.write('a' + r.nextInt(26));
                } else if (k < 9) {
                    byte[] g = good[r.nextInt(good.length)].getBytes(StandardCharsets.UTF_8);
                    o.write(g, 0, g.length);
                } else {
                    o.write(interesting[r.nextInt(interesting.length)]);
                }
            }
            byte[] b = o.toByteArray();
            int off = r.nextInt(9);
            byte[] padded = new byte[off + b.length + r.nextInt(9)];
            System.arraycopy(b, 0, padded, off, b.length);
            int expected = Utf8.check(ByteBuffer.wrap(b), 0, b.length);
            assertEquals(decodes(b, b.length), expected == 0, HexFormat.of().formatHex(b));
            ByteBuffer direct = ByteBuffer.allocateDirect(padded.length).put(padded).flip();
            for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.wrap(padded), ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN),
                direct.asReadOnlyBuffer(), direct.duplicate().order(ByteOrder.LITTLE_ENDIAN)}) {
                assertEquals(expected, Utf8.check(buf, off, b.length), HexFormat.of().formatHex(b) + " " + buf);
            }
            if (expected > 0) {
                assertTrue(decodes(b, b.length - expected), HexFormat.of().formatHex(b));
            }
        }
    }

    private static boolean completable(byte[] b, int tail) {
        int lead = b[b.length - tail] & 0xff;
        int need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
        for (int fill = 0x80; fill <= 0xbf; fill++) {
            byte[] c = java.util.Arrays.copyOf(b, b.length - tail + need);
            for (int i = b.length; i < c.length; i++) {
                c[i] = (byte) fill;
            }
            if (decodes(c, c.length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean decodes(byte[] b, int length) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer unused = dec.decode(ByteBuffer.wrap(b, 0, length));
            return unused != null;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
