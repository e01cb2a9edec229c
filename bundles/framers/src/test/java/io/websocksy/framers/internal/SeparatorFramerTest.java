package io.websocksy.framers.internal;

import io.websocksy.framer.testkit.Driver;

import static io.websocksy.framer.testkit.Driver.assertAllModes;
import static io.websocksy.framer.testkit.Driver.hex;
import static io.websocksy.framer.testkit.Driver.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.framer.Utf8;
import io.websocksy.framer.testkit.Driver.Msg;

class SeparatorFramerTest {
    private final SeparatorFramer framer = new SeparatorFramer();

    // ---- config ----

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\\r\\n     | 0d0a",
        "\\x65      | 65",
        "\\x6A\\x6b | 6a6b",
        "ab         | 6162",
        "\\t\\0\\f  | 09000c",
        "\\\\       | 5c",
        "\\x656     | 6536",
        "é          | c3a9",
        "\" \"      | 20",
        "a\\nb      | 610a62",
        "𤭢         | f0a4ada2",
    })
    void parsesEscapes(String config, String expectedHex) throws FramerConfigException {
        assertArrayEquals(hex(expectedHex), SeparatorFramer.parse(config));
    }

    @ParameterizedTest(name = "''{0}'' is rejected: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"     | empty separator",
        "\\q      | unknown escape '\\q'",
        "ab\\N    | unknown escape '\\N'",
        "\\x6     | exactly two hex digits",
        "\\x      | exactly two hex digits",
        "\\xZZ    | exactly two hex digits",
        "\\x6g    | exactly two hex digits",
        "ab\\     | dangling backslash",
        "\\       | dangling backslash",
    })
    void rejectsMalformedConfig(String config, String problem) {
        FramerConfigException e = assertThrows(FramerConfigException.class, () -> framer.open(config));
        assertTrue(e.getMessage().startsWith("separator: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("'" + config + "'"), e.getMessage());
    }

    @Test
    void rejectsNullAndUnpairedSurrogate() {
        assertThrows(FramerConfigException.class, () -> framer.open(null));
        FramerConfigException e = assertThrows(FramerConfigException.class, () -> framer.open("a\uD800"));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    // ---- framing ----

    @Test
    void crlfSeparatedMessagesAreBinaryAndIncludeTheSeparator() {
        assertAllModes(() -> framer.open("\\r\\n"), utf8("a\r\nbc\r\n\r\n\rx\nrest"), List.of(
                Msg.binary("a\r\n"), Msg.binary("bc\r\n"), Msg.binary("\r\n"),
                Msg.text("\rx\nrest")));                       // end of stream: the rest, text if valid
    }

    @Test
    void hexEscapedSeparator() {
        assertAllModes(() -> framer.open("\\x65"), utf8("helloeworld e"), List.of(
                Msg.binary("he"), Msg.binary("lloe"), Msg.binary("world e")));
    }

    @Test
    void twoByteSeparatorWithRepeatedFirstByte() {
        assertAllModes(() -> framer.open("ab"), utf8("xaabyababaaab"), List.of(
                Msg.binary("xaab"), Msg.binary("yab"), Msg.binary("ab"), Msg.binary("aaab")));
    }

    @Test
    void restAtEndOfStreamIsBinaryWhenInvalid() {
        assertAllModes(() -> framer.open(";"), Driver.concat(utf8("é;"), hex("ff c3")), List.of(
                Msg.binary("é;"), Msg.binary(hex("ffc3"))));
    }

    @Test
    void separatorAtTheVeryEndLeavesNothing() {
        assertAllModes(() -> framer.open("\\0"), hex("01 00 02 03 00"), List.of(
                Msg.binary(hex("0100")), Msg.binary(hex("020300"))));
    }

    @Test
    void datagramsAreBinary() throws FramerConfigException {
        FramingState s = framer.open("\\n");
        assertEquals(Decision.binary(3), s.datagram(ByteBuffer.wrap(utf8("a\nb"))));
    }

    @Test
    void emptyBufferNeedsMore() throws FramerConfigException {
        assertEquals(Decision.needMore(), framer.open("\\n").next(ByteBuffer.allocate(0)));
    }

    /** Random streams over a tiny alphabet, so separators (and near misses) are frequent. */
    @ParameterizedTest
    @CsvSource({"\\r\\n\\r\\n, 13", "\\r\\n, 10", "aba, ab", "x, xy", "\\xff\\xfe, a"})
    void matchesNaiveSplitOnRandomInput(String config, String extraAlphabet) throws FramerConfigException {
        byte[] sep = SeparatorFramer.parse(config);
        byte[] alphabet = Driver.concat(sep, utf8(extraAlphabet), utf8("z"));
        Random r = new Random(config.hashCode());
        for (int round = 0; round < 40; round++) {
            byte[] input = new byte[r.nextInt(300)];
            for (int i = 0; i < input.length; i++) {
                input[i] = alphabet[r.nextInt(alphabet.length)];
            }
            assertAllModes(() -> framer.open(config), input, naiveSplit(input, sep, false));
        }
    }

    /**
     * Reference: split at every non-overlapping occurrence, scanning left to right; the rest is sent
     * at end of stream as text if valid UTF-8, else binary.
     */
    static List<Msg> naiveSplit(byte[] input, byte[] sep, boolean textIfValid) {
        List<Msg> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i + sep.length <= input.length) {
            if (Arrays.equals(input, i, i + sep.length, sep, 0, sep.length)) {
                out.add(msg(Arrays.copyOfRange(input, start, i + sep.length), textIfValid));
                i += sep.length;
                start = i;
            } else {
                i++;
            }
        }
        if (start < input.length) {
            out.add(msg(Arrays.copyOfRange(input, start, input.length), true));
        }
        return out;
    }

    private static Msg msg(byte[] b, boolean textIfValid) {
        return new Msg(textIfValid && Utf8.check(ByteBuffer.wrap(b), 0, b.length) == 0, b);
    }

    // ---- linear time ----

    @ParameterizedTest(name = "separator ''{0}''")
    @CsvSource({"\\n", "\\r\\n\\r\\n"})
    void longBufferWithoutSeparatorIsScannedOnce(String config) throws FramerConfigException {
        int size = 4 << 20;
        int chop = 1024;
        byte[] input = new byte[size];
        Arrays.fill(input, (byte) 'a');
        SeparatorState state = (SeparatorState) framer.open(config);
        int sepLen = SeparatorFramer.parse(config).length;
        Counting counting = new Counting(state);

        Driver driver = new Driver(counting, false);
        for (int at = 0; at < size; at += chop) {
            driver.read(input, at, chop);
        }
        int reads = size / chop;
        assertEquals(reads, counting.calls, "one next() per read, no emits");
        assertEquals(0, counting.emits);
        // rescanning from the start on every read would examine about reads * size / 2 = 8 GiB
        assertTrue(state.examined() <= size + (long) reads * sepLen,
                "examined " + state.examined() + " bytes for a " + size + "-byte stream");
        assertTrue(counting.bytesOffered > (long) reads * size / 4, "the buffer really did grow");

        Driver.Result r = driver.finish();
        assertEquals(1, r.messages().size());
        assertEquals(size, r.messages().get(0).bytes().length);
    }

    @Test
    void scanOffsetFollowsEmits() throws FramerConfigException {
        // many short lines in one large read, then one long line across many reads
        SeparatorState state = (SeparatorState) framer.open("\\n");
        Driver driver = new Driver(state, false);
        byte[] lines = utf8("a\n".repeat(1000));
        driver.read(lines, 0, lines.length);
        byte[] tail = new byte[1 << 16];
        Arrays.fill(tail, (byte) 'b');
        for (int at = 0; at < tail.length; at += 256) {
            driver.read(tail, at, 256);
        }
        driver.read(utf8("\n"), 0, 1);
        Driver.Result r = driver.finish();
        assertEquals(1001, r.messages().size());
        assertEquals(tail.length + 1, r.messages().get(1000).bytes().length);
        assertTrue(state.examined() <= 2L * (lines.length + tail.length + 1), "examined " + state.examined());
    }

    /** Counts calls and offered bytes on the way to the real state. */
    static final class Counting implements FramingState {
        final FramingState delegate;
        int calls;
        int emits;
        long bytesOffered;

        Counting(FramingState delegate) {
            this.delegate = delegate;
        }

        @Override
        public Decision next(ByteBuffer buffered) {
            calls++;
            bytesOffered += buffered.remaining();
            Decision d = delegate.next(buffered);
            if (d.emits()) {
                emits++;
            }
            return d;
        }

        @Override
        public Decision endOfStream(ByteBuffer buffered) {
            return delegate.endOfStream(buffered);
        }
    }
}
