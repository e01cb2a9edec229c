package io.websocksy.framer.fixedlength.internal;

import io.websocksy.framer.testkit.Driver;

import static io.websocksy.framer.testkit.Driver.assertAllModes;
import static io.websocksy.framer.testkit.Driver.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.framer.testkit.Driver.Msg;

class FixedLengthFramerTest {
    private final FixedLengthFramer framer = new FixedLengthFramer();

    // ---- config ----

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0            | 0",
        "1            | 1",
        "512          | 512",
        "0x200        | 512",
        "0X1f         | 31",
        "0x0          | 0",
        "\" 16 \"     | 16",
        "2147483647   | 2147483647",
        "0x7fffffff   | 2147483647",
        "0x0000000010 | 16",
    })
    void parsesLength(String config, int expected) throws FramerConfigException {
        assertEquals(expected, FixedLengthFramer.parseLength(config));
    }

    @ParameterizedTest(name = "''{0}'' is rejected: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"        | empty value",
        "\"   \"     | empty value",
        "abc         | 'a' is not a decimal digit",
        "-1          | unexpected sign",
        "+5          | unexpected sign",
        "1 2         | ' ' is not a decimal digit",
        "12a         | 'a' is not a decimal digit",
        "2147483648  | number too large",
        "99999999999999999999999 | number too large",
        "0x80000000  | number too large",
        "0x          | no digits after 0x",
        "0xg1        | 'g' is not a hex digit",
        "010         | leading zero",
        "1.5         | '.' is not a decimal digit",
        "1_000       | '_' is not a decimal digit",
        "١٢          | is not a decimal digit",
    })
    void rejectsMalformedConfig(String config, String problem) {
        FramerConfigException e = assertThrows(FramerConfigException.class, () -> framer.open(config));
        String m = e.getMessage();
        assertTrue(m.startsWith("fixedlength: "), m);
        assertTrue(m.contains(problem), m);
        assertTrue(m.contains("'" + config + "'"), m);
        assertTrue(m.contains("expected the message length in bytes"), m);
    }

    // ---- framing ----

    @Test
    void cutsExactChunksAndFlushesTheShortRestAtEndOfStream() {
        assertAllModes(() -> framer.open("4"), utf8("abcdefghij"), List.of(
                Msg.binary("abcd"), Msg.binary("efgh"), Msg.binary("ij")));
    }

    @Test
    void exactMultipleLeavesNothingAtEndOfStream() {
        assertAllModes(() -> framer.open("0x3"), utf8("abcdef"), List.of(Msg.binary("abc"), Msg.binary("def")));
    }

    @Test
    void lengthOneSendsEveryByte() {
        assertAllModes(() -> framer.open("1"), utf8("xyz"), List.of(Msg.binary("x"), Msg.binary("y"), Msg.binary("z")));
    }

    @Test
    void messagesAreBinaryEvenWhenTheBytesAreText() {
        Driver.allModes(() -> framer.open("2"), utf8("héllo")).forEach((mode, r) ->
                r.messages().forEach(m -> assertTrue(!m.text(), mode + ": " + m)));
    }

    @Test
    void zeroPassesEverythingThroughAsBinary() throws FramerConfigException {
        byte[] input = utf8("hello, world");
        Driver.Result whole = Driver.whole(framer.open("0"), input);
        assertEquals(List.of(Msg.binary("hello, world")), whole.messages());
        Driver.Result bytes = Driver.byteByByte(framer.open("0"), input);
        assertEquals(input.length, bytes.messages().size());
        bytes.messages().forEach(m -> assertEquals(1, m.bytes().length));
        Driver.allModes(() -> framer.open("0"), input).forEach((mode, r) -> {
            assertEquals(0, r.droppedAtEnd(), mode);
            assertTrue(Arrays.equals(input, r.concatenated()), mode);
            r.messages().forEach(m -> assertTrue(!m.text(), mode));
        });
    }

    @Test
    void emptyBufferNeedsMore() throws FramerConfigException {
        assertEquals(Decision.needMore(), framer.open("8").next(ByteBuffer.allocate(0)));
        assertEquals(Decision.needMore(), framer.open("0").next(ByteBuffer.allocate(0)));
    }

    @Test
    void shortBufferNeedsMoreUntilFull() throws FramerConfigException {
        FramingState s = framer.open("5");
        assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(new byte[4])));
        assertEquals(Decision.binary(5), s.next(ByteBuffer.wrap(new byte[5])));
        assertEquals(Decision.binary(5), s.next(ByteBuffer.wrap(new byte[9])));
    }

    @Test
    void hugeLengthOnlyEverNeedsMore() throws FramerConfigException {
        // the bridge closes with 1009 once its buffer reaches max-message-size
        FramingState s = framer.open("2147483647");
        assertEquals(Decision.needMore(), s.next(ByteBuffer.allocate(1 << 20)));
        assertEquals(Decision.binary(1 << 20), s.endOfStream(ByteBuffer.allocate(1 << 20)));
    }

    @Test
    void datagramsAreSentWholeAsBinary() throws FramerConfigException {
        assertEquals(Decision.binary(10), framer.open("4").datagram(ByteBuffer.wrap(utf8("0123456789"))));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16, 100})
    void matchesNaiveChunkingOnRandomInput(int n) {
        Random r = new Random(n);
        for (int round = 0; round < 20; round++) {
            byte[] input = new byte[r.nextInt(400)];
            r.nextBytes(input);
            List<Msg> expected = new ArrayList<>();
            for (int at = 0; at < input.length; at += n) {
                expected.add(Msg.binary(Arrays.copyOfRange(input, at, Math.min(input.length, at + n))));
            }
            assertAllModes(() -> framer.open(Integer.toString(n)), input, expected);
        }
    }
}
