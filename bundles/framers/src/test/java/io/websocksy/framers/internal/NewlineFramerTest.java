package io.websocksy.framers.internal;

import io.websocksy.framer.testkit.Driver;

import static io.websocksy.framer.testkit.Driver.assertAllModes;
import static io.websocksy.framer.testkit.Driver.concat;
import static io.websocksy.framer.testkit.Driver.hex;
import static io.websocksy.framer.testkit.Driver.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
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

class NewlineFramerTest {
    private final NewlineFramer framer = new NewlineFramer();

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "crlf     | 0d0a",
        "\"\"     | 0d0a",
        "\"  \"   | 0d0a",
        "CRLF     | 0d0a",
        "lfcr     | 0a0d",
        "lf       | 0a",
        "LF       | 0a",
        "\" Lf \" | 0a",
        "cr       | 0d",
    })
    void lineEndingByName(String config, String expectedHex) throws FramerConfigException {
        assertArrayEquals(hex(expectedHex), NewlineFramer.lineEnding(config));
        framer.open(config);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "\\n", "crlf,lf", "c r"})
    void unknownLineEndingIsAConfigError(String config) {
        FramerConfigException e = assertThrows(FramerConfigException.class, () -> framer.open(config));
        assertTrue(e.getMessage().startsWith("newline: "), e.getMessage());
        assertTrue(e.getMessage().contains("'" + config + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("crlf, lfcr, lf or cr"), e.getMessage());
    }

    @Test
    void crlfLinesAreTextIncludingTheLineEnding() {
        assertAllModes(() -> framer.open(""), utf8("hello\r\nwörld\r\n\r\nlone\nlf\r\nlast"), List.of(
                Msg.text("hello\r\n"), Msg.text("wörld\r\n"), Msg.text("\r\n"),
                Msg.text("lone\nlf\r\n"), Msg.text("last")));
    }

    @Test
    void lfKeepsTheCarriageReturn() {
        assertAllModes(() -> framer.open("lf"), utf8("a\r\nb\n\n"), List.of(
                Msg.text("a\r\n"), Msg.text("b\n"), Msg.text("\n")));
    }

    @Test
    void crSplitsBeforeTheLineFeed() {
        assertAllModes(() -> framer.open("cr"), utf8("a\r\nb\r"), List.of(
                Msg.text("a\r"), Msg.text("\nb\r")));
    }

    @Test
    void lfcr() {
        assertAllModes(() -> framer.open("lfcr"), utf8("a\n\rb\r\nc\n\r"), List.of(
                Msg.text("a\n\r"), Msg.text("b\r\nc\n\r")));
    }

    @Test
    void invalidUtf8LineIsBinaryOthersStayText() {
        byte[] input = concat(utf8("ok\n"), hex("c0af"), utf8("\n"), hex("eda080 0a"), utf8("é\n"), hex("ff"));
        assertAllModes(() -> framer.open("lf"), input, List.of(
                Msg.text("ok\n"), Msg.binary(hex("c0af0a")), Msg.binary(hex("eda0800a")), Msg.text("é\n"),
                Msg.binary(hex("ff"))));
    }

    @Test
    void multiByteCharactersSplitAcrossReadsStayText() {
        byte[] input = utf8("é𤭢€\r\n€\r\n");
        assertAllModes(() -> framer.open("crlf"), input, List.of(Msg.text("é𤭢€\r\n"), Msg.text("€\r\n")));
    }

    @Test
    void incompleteCharacterAtEndOfStreamIsBinary() {
        assertAllModes(() -> framer.open("lf"), concat(utf8("a\nb"), hex("e282")), List.of(
                Msg.text("a\n"), Msg.binary(concat(utf8("b"), hex("e282")))));
    }

    @Test
    void datagramsAreTextWhenValid() throws FramerConfigException {
        FramingState s = framer.open("");
        assertEquals(Decision.text(4), s.datagram(ByteBuffer.wrap(utf8("a\r\nb"))));
        assertEquals(Decision.binary(2), s.datagram(ByteBuffer.wrap(hex("c3 28"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"crlf", "lfcr", "lf", "cr"})
    void matchesNaiveSplitOnRandomInput(String config) throws FramerConfigException {
        byte[] sep = NewlineFramer.lineEnding(config);
        byte[] alphabet = concat(utf8("\r\n\r\nab"), hex("c3 a9 ff"));
        Random r = new Random(config.hashCode());
        for (int round = 0; round < 40; round++) {
            byte[] input = new byte[r.nextInt(300)];
            for (int i = 0; i < input.length; i++) {
                input[i] = alphabet[r.nextInt(alphabet.length)];
            }
            assertAllModes(() -> framer.open(config), input, SeparatorFramerTest.naiveSplit(input, sep, true));
        }
    }

    @Test
    void statesAreIndependent() throws FramerConfigException {
        FramingState a = framer.open("lf");
        FramingState b = framer.open("lf");
        assertEquals(Decision.needMore(), a.next(ByteBuffer.wrap(utf8("xxxxxxxx"))));
        assertEquals(Decision.text(2), b.next(ByteBuffer.wrap(utf8("y\n"))));
    }
}
