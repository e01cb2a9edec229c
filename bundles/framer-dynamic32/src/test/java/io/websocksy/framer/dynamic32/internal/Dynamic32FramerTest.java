package io.websocksy.framer.dynamic32.internal;

import io.websocksy.framer.testkit.Driver;

import static io.websocksy.framer.testkit.Driver.assertAllModes;
import static io.websocksy.framer.testkit.Driver.concat;
import static io.websocksy.framer.testkit.Driver.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.framer.testkit.Driver.Msg;

class Dynamic32FramerTest {
    private final Dynamic32Framer framer = new Dynamic32Framer();

    // ---- config ----

    @ParameterizedTest(name = "''{0}'' -> offset {1}, static {2}, big {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"                                | 0  | 0           | false",
        "\"  \"                              | 0  | 0           | false",
        "offset=2                            | 2  | 0           | false",
        "static=3                            | 0  | 3           | false",
        "endian=big                          | 0  | 0           | true",
        "endian=little                       | 0  | 0           | false",
        "offset=0,endian=big                 | 0  | 0           | true",
        "\" Offset = 0x10 , STATIC=-4, Endian = BIG \" | 16 | -4 | true",
        "static=-2147483648                  | 0  | -2147483648 | false",
        "static=2147483647,offset=2147483647 | 2147483647 | 2147483647 | false",
        "static=-0x10                        | 0  | -16         | false",
    })
    void parsesConfig(String config, int offset, int statik, boolean big) throws FramerConfigException {
        Dynamic32Framer.Segments s = Dynamic32Framer.parse(config);
        assertEquals(offset, s.offset());
        assertEquals(statik, s.statik());
        assertEquals(big, s.bigEndian());
    }

    @ParameterizedTest(name = "''{0}'' is rejected: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "offset=1,                | empty entry 2 (a stray comma?)",
        ",offset=1                | empty entry 1",
        "offset=1,,static=2       | empty entry 2",
        "offset                   | entry 'offset' has no '='",
        "size=4                   | unknown key 'size' (with value '4'",
        "offset=1,offset=2        | key 'offset' given twice",
        "endian=big,ENDIAN=little | key 'endian' given twice",
        "offset=abc               | offset 'abc': 'a' is not a decimal digit",
        "offset=-1                | offset '-1': unexpected sign",
        "offset=                  | offset '': empty value",
        "offset=2147483648        | offset '2147483648': number too large",
        "static=2147483648        | static '2147483648': number too large",
        "static=-2147483649       | static '-2147483649': number too large",
        "static=--4               | static '--4': unexpected sign",
        "static=4x                | static '4x': 'x' is not a decimal digit",
        "offset=010               | offset '010': leading zero",
        "endian=middle            | endian 'middle' is neither little nor big",
        "endian=                  | endian '' is neither little nor big",
        "offset=1;static=2        | offset '1;static=2'",
    })
    void rejectsMalformedConfig(String config, String problem) {
        FramerConfigException e = assertThrows(FramerConfigException.class, () -> framer.open(config));
        String m = e.getMessage();
        assertTrue(m.startsWith("dynamic32: "), m);
        assertTrue(m.contains(problem), m);
        assertTrue(m.contains("in '" + config + "'"), m);
        assertTrue(m.contains("offset=N, static=N, endian=little|big"), m);
    }

    // ---- framing ----

    @Test
    void littleEndianDefault() {
        byte[] a = concat(hex("03000000"), Driver.utf8("abc"));
        byte[] b = concat(hex("01000000"), Driver.utf8("z"));
        assertAllModes(() -> framer.open(""), concat(a, b), List.of(Msg.binary(a), Msg.binary(b)));
    }

    @Test
    void bigEndian() {
        byte[] a = concat(hex("00000003"), Driver.utf8("abc"));
        byte[] b = concat(hex("00000000"));
        assertAllModes(() -> framer.open("endian=big"), concat(a, b, a), List.of(Msg.binary(a), Msg.binary(b), Msg.binary(a)));
    }

    @Test
    void lengthZeroSendsTheHeaderAlone() {
        byte[] h = hex("00000000");
        assertAllModes(() -> framer.open(""), concat(h, h, h), List.of(Msg.binary(h), Msg.binary(h), Msg.binary(h)));
    }

    @Test
    void offsetAndStatic() {
        // 2-byte type before the length, 2-byte checksum after the payload
        byte[] a = concat(hex("aa01 00000003"), Driver.utf8("xyz"), hex("c0c1"));
        byte[] b = concat(hex("aa02 00000000"), hex("c2c3"));
        assertAllModes(() -> framer.open("offset=2,static=2,endian=big"), concat(a, b),
                List.of(Msg.binary(a), Msg.binary(b)));
    }

    @Test
    void negativeStaticWhenTheLengthCountsItself() {
        byte[] a = concat(hex("00000007"), Driver.utf8("abc"));
        byte[] b = hex("00000004");
        assertAllModes(() -> framer.open("static=-4,endian=big"), concat(a, b, a),
                List.of(Msg.binary(a), Msg.binary(b), Msg.binary(a)));
    }

    @Test
    void partialHeaderNeedsMore() throws FramerConfigException {
        FramingState s = framer.open("offset=3");
        for (int n = 0; n < 7; n++) {
            assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(new byte[n])), n + " bytes");
        }
        assertEquals(Decision.binary(7), s.next(ByteBuffer.wrap(new byte[7])));
    }

    @Test
    void headerIsReadFromTheBufferPosition() throws FramerConfigException {
        ByteBuffer b = ByteBuffer.wrap(concat(hex("ffffffff ff"), hex("02000000 6162 7a"))).asReadOnlyBuffer();
        b.position(5);
        assertEquals(Decision.binary(6), framer.open("").next(b));
    }

    @ParameterizedTest(name = "length field {0} with static {1}")
    @CsvSource({"ffffffff, 0", "ffffffff, 2147483647", "fffffffb, 0", "80000000, 0", "ffffffff, -4", "7ffffffc, 1"})
    void hugeLengthsNeverOverflowAndOnlyNeedMore(String field, int statik) throws FramerConfigException {
        FramingState s = framer.open("offset=2147483647,static=" + statik + ",endian=big");
        // the header is not even buffered: needs more
        assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(new byte[16])));
        FramingState t = framer.open("static=" + statik + ",endian=big");
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        buf.put(hex(field)).clear();
        // a size that can never be sent: the bridge closes with 1009 when its buffer is full
        assertEquals(Decision.needMore(), t.next(buf));
        // at end of stream what is buffered goes out as one message
        assertEquals(Decision.binary(1 << 16), t.endOfStream(buf));
    }

    @Test
    void sizeJustAboveIntMaxIsNotTruncated() throws FramerConfigException {
        // 4 + (2^31 - 4) + 1 = 2^31: an int computation would wrap to a negative size
        FramingState s = framer.open("static=1,endian=big");
        ByteBuffer buf = ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN);
        buf.putInt(0, 0x7ffffffc);
        assertEquals(Decision.needMore(), s.next(buf));
    }

    @Test
    void segmentShorterThanItsHeaderIsAStreamError() throws FramerConfigException {
        FramingState s = framer.open("offset=2,static=-4,endian=big");
        ByteBuffer buf = ByteBuffer.wrap(hex("0000 00000002 ffff"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.next(buf));
        assertTrue(e.getMessage().startsWith("dynamic32: length field 2 (0x2) at offset 2 gives a 4-byte segment"),
                e.getMessage());
        // extreme negative static: no overflow, same error
        FramingState t = framer.open("static=-2147483648");
        assertThrows(IllegalStateException.class, () -> t.next(ByteBuffer.wrap(hex("00000000"))));
        // at end of stream the rest is flushed instead
        assertEquals(Decision.binary(8), s.endOfStream(buf));
    }

    @Test
    void truncatedLastSegmentIsFlushedAtEndOfStream() {
        byte[] a = concat(hex("02000000"), Driver.utf8("ab"));
        byte[] cut = concat(hex("05000000"), Driver.utf8("ab"));
        assertAllModes(() -> framer.open(""), concat(a, cut), List.of(Msg.binary(a), Msg.binary(cut)));
        assertAllModes(() -> framer.open(""), concat(a, hex("0500")), List.of(Msg.binary(a), Msg.binary(hex("0500"))));
    }

    @Test
    void datagramsAreSentWholeAsBinary() throws FramerConfigException {
        assertEquals(Decision.binary(3), framer.open("").datagram(ByteBuffer.wrap(hex("010203"))));
    }

    /** Random segments for every combination of offset, static and endian, against a reference encoder. */
    @ParameterizedTest(name = "offset={0}, static={1}, endian={2}")
    @CsvSource({"0,0,little", "0,0,big", "3,0,little", "0,5,big", "2,-4,big", "1,-2,little", "7,3,little", "0,-4,little"})
    void matchesReferenceOnRandomSegments(int offset, int statik, String endian) {
        Random r = new Random(offset * 31L + statik * 7L + endian.length());
        String config = "offset=" + offset + ",static=" + statik + ",endian=" + endian;
        for (int round = 0; round < 10; round++) {
            List<Msg> expected = new ArrayList<>();
            List<byte[]> parts = new ArrayList<>();
            int count = r.nextInt(12);
            for (int i = 0; i < count; i++) {
                int body = r.nextInt(40);                  // bytes after the length field
                long length = (long) body - statik;        // what the length field must say
                if (length < 0) {
                    continue;
                }
                byte[] seg = new byte[offset + 4 + body];
                r.nextBytes(seg);
                ByteBuffer.wrap(seg).order(endian.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                        .putInt(offset, (int) length);
                parts.add(seg);
                expected.add(Msg.binary(seg));
            }
            assertAllModes(() -> framer.open(config), concat(parts.toArray(new byte[0][])), expected);
        }
    }

    @Test
    void originalCommaBugIsGone() throws FramerConfigException {
        // the C original looped forever on a config with a comma (docs/conformance.md K5)
        Dynamic32Framer.Segments s = Dynamic32Framer.parse("offset=0,endian=big");
        assertEquals(0, s.offset());
        assertTrue(s.bigEndian());
    }
}
