package io.websocksy.example.framer.internal;

import io.websocksy.framer.testkit.Driver;

import static io.websocksy.framer.testkit.Driver.assertAllModes;
import static io.websocksy.framer.testkit.Driver.concat;
import static io.websocksy.framer.testkit.Driver.hex;
import static io.websocksy.framer.testkit.Driver.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

class NetstringFramerTest {
    private final NetstringFramer framer = new NetstringFramer();

    // ---- config: every mistake is a FramerConfigException (the bridge answers HTTP 500) ----

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "whole", "text", "whole,text", " Text , WHOLE "})
    void acceptsOptions(String config) throws FramerConfigException {
        assertTrue(framer.open(config) instanceof NetstringState);
    }

    @ParameterizedTest(name = "''{0}'' is rejected: {1}")
    @CsvSource(delimiter = '|', value = {
        "binary       | unknown option 'binary'",
        "whole,       | unknown option ''",
        "whole;text   | unknown option 'whole;text'",
        "text,TEXT    | option 'text' given twice",
    })
    void rejectsBadConfig(String config, String problem) {
        FramerConfigException e = assertThrows(FramerConfigException.class, () -> framer.open(config));
        assertTrue(e.getMessage().startsWith("netstring: " + problem), e.getMessage());
        assertTrue(e.getMessage().contains("'" + config + "'"), e.getMessage());
    }

    // ---- framing, fed whole, byte by byte and in random chops ----

    @Test
    void payloadsByDefault() {
        assertAllModes(() -> framer.open(""), utf8("5:hello,0:,1:x,12:hello world!,"), List.of(
                Msg.binary("hello"), Msg.binary("x"), Msg.binary("hello world!")));
    }

    @Test
    void wholeNetstrings() {
        assertAllModes(() -> framer.open("whole"), utf8("5:hello,0:,"), List.of(
                Msg.binary("5:hello,"), Msg.binary("0:,")));
    }

    @Test
    void textWhenValidUtf8() {
        byte[] input = concat(utf8("2:é,"), utf8("2:"), hex("c328"), utf8(","));
        assertAllModes(() -> framer.open("text"), input, List.of(Msg.text("é"), Msg.binary(hex("c328"))));
    }

    @Test
    void payloadsMayContainAnyByte() {
        byte[] payload = hex("00 3a 2c ff 35 3a");          // NUL, ':', ',', 0xff, '5', ':'
        assertAllModes(() -> framer.open(""), concat(utf8("6:"), payload, utf8(",")), List.of(Msg.binary(payload)));
    }

    @Test
    void truncatedNetstringIsFlushedAtEndOfStream() {
        assertAllModes(() -> framer.open(""), utf8("1:a,5:hel"), List.of(Msg.binary("a"), Msg.binary("5:hel")));
        assertAllModes(() -> framer.open(""), utf8("1:a,12"), List.of(Msg.binary("a"), Msg.binary("12")));
    }

    @Test
    void malformedRestAtEndOfStreamIsFlushedNotThrown() throws FramerConfigException {
        FramingState s = framer.open("");
        assertEquals(Decision.binary(5), s.endOfStream(ByteBuffer.wrap(utf8("x:abc"))));
        assertEquals(Decision.binary(6), s.endOfStream(ByteBuffer.wrap(utf8("3:abcX"))));
    }

    @Test
    void randomNetstrings() {
        Random r = new Random(42);
        for (int round = 0; round < 30; round++) {
            List<Msg> expected = new ArrayList<>();
            List<byte[]> parts = new ArrayList<>();
            for (int i = r.nextInt(8); i > 0; i--) {
                byte[] payload = new byte[r.nextInt(300)];
                r.nextBytes(payload);
                parts.add(concat((payload.length + ":").getBytes(StandardCharsets.US_ASCII), payload, utf8(",")));
                if (payload.length > 0) {
                    expected.add(Msg.binary(payload));
                }
            }
            assertAllModes(() -> framer.open(""), concat(parts.toArray(new byte[0][])), expected);
        }
    }

    // ---- a stream that is not netstrings: the framer throws, the bridge closes with 1011 ----

    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvSource(delimiter = '|', value = {
        "x:abc,          | byte 0x78 where a length digit belongs",
        ":abc,           | byte 0x3a where a length digit belongs",
        "05:hello,       | leading zero",
        "5x              | byte 0x78 where a length digit or ':' belongs",
        "12345678901:a,  | more than 10 digits",
        "9999999999:     | length over 2147483600",
        "3:abcd          | byte 0x64 after a 3-byte payload where ',' belongs",
    })
    void corruptStreamsAreRejected(String input, String problem) throws FramerConfigException {
        FramingState s = framer.open("");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.next(ByteBuffer.wrap(utf8(input))));
        assertTrue(e.getMessage().startsWith("netstring: the peer's stream is not netstrings: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void hugeDeclaredLengthWaitsForTheBridgeLimit() throws FramerConfigException {
        // 2147483600 bytes can never be buffered: the bridge closes with 1009 at max-message-size
        FramingState s = framer.open("");
        assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(utf8("2147483600:abc"))));
    }

    @Test
    void payloadModeUsesThreeDecisions() throws FramerConfigException {
        FramingState s = framer.open("");
        ByteBuffer buf = ByteBuffer.wrap(utf8("5:hello,"));
        assertEquals(Decision.discard(2), s.next(buf));
        buf.position(2);
        assertEquals(Decision.binary(5), s.next(buf));
        buf.position(7);
        assertEquals(Decision.discard(1), s.next(buf));
        buf.position(8);
        assertEquals(Decision.needMore(), s.next(buf));
    }
}
