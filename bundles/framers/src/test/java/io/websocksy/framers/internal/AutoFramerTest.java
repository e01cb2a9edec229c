package io.websocksy.framers.internal;

import io.websocksy.framer.testkit.Driver;

import static io.websocksy.framer.testkit.Driver.concat;
import static io.websocksy.framer.testkit.Driver.hex;
import static io.websocksy.framer.testkit.Driver.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.framer.Utf8;
import io.websocksy.framer.testkit.Driver.Msg;
import io.websocksy.framer.testkit.Driver.Result;

class AutoFramerTest {
    private final AutoFramer framer = new AutoFramer();

    private FramingState open() throws FramerConfigException {
        return framer.open("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankConfigIsAccepted(String config) throws FramerConfigException {
        framer.open(config);
    }

    @Test
    void configIsRejected() {
        FramerConfigException e = assertThrows(FramerConfigException.class, () -> framer.open("utf8"));
        assertEquals("auto takes no configuration, got 'utf8'", e.getMessage());
    }

    @Test
    void decisionsOnSingleBuffers() throws FramerConfigException {
        FramingState s = open();
        assertEquals(Decision.needMore(), s.next(ByteBuffer.allocate(0)));
        assertEquals(Decision.text(3), s.next(ByteBuffer.wrap(utf8("abc"))));
        assertEquals(Decision.text(2), s.next(ByteBuffer.wrap(concat(utf8("ab"), hex("c3")))));
        assertEquals(Decision.text(1), s.next(ByteBuffer.wrap(concat(utf8("a"), hex("f0 a4 ad")))));
        assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(hex("c3"))));
        assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(hex("f0 a4 ad"))));
        assertEquals(Decision.binary(3), s.next(ByteBuffer.wrap(concat(utf8("a"), hex("ff c3")))));
        assertEquals(Decision.binary(2), s.next(ByteBuffer.wrap(hex("e0 80")))); // E0 80 can never be valid
        // position is honoured: the view starts at the first unconsumed byte
        ByteBuffer b = ByteBuffer.wrap(concat(hex("ff ff"), utf8("ok"), hex("e2 82"))).position(2);
        assertEquals(Decision.text(2), s.next(b.asReadOnlyBuffer()));
    }

    @Test
    void eSplitAcrossReadsIsHeldBackNotDegraded() throws FramerConfigException {
        byte[] input = utf8("café ok");
        Result r = Driver.byteByByte(open(), input);
        assertEquals(List.of(Msg.text("c"), Msg.text("a"), Msg.text("f"), Msg.text("é"), Msg.text(" "),
                Msg.text("o"), Msg.text("k")), r.messages());
        Result split = Driver.run(open(), input, false, 4, 1, 100); // "caf" + C3 | A9 | " ok"
        assertEquals(List.of(Msg.text("caf"), Msg.text("é"), Msg.text(" ok")), split.messages());
    }

    @Test
    void fourByteSequenceSplitEveryWay() throws FramerConfigException {
        byte[] input = concat(utf8("x"), hex("f0 a4 ad a2"), utf8("y"), hex("f0 a4 ad a2"));
        Driver.allModes(this::open, input).forEach((mode, r) -> {
            assertArrayEquals(input, r.concatenated(), mode);
            assertTrue(r.messages().stream().allMatch(Msg::text), mode + ": " + r.messages());
        });
        assertEquals(List.of(new Msg(true, input)), Driver.whole(open(), input).messages());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0 af", "ed a0 80", "ff", "e0 80 af", "f4 90 80 80", "f5 80 80 80", "80", "c3 28"})
    void invalidUtf8IsBinary(String invalidHex) throws FramerConfigException {
        byte[] input = concat(utf8("abc"), hex(invalidHex), utf8("déf"));
        assertEquals(List.of(new Msg(false, input)), Driver.whole(open(), input).messages());
        Driver.allModes(this::open, input).forEach((mode, r) -> {
            assertArrayEquals(input, r.concatenated(), mode);
            assertTrue(r.messages().stream().anyMatch(m -> !m.text()), mode + ": no binary message");
        });
        assertEquals(Decision.binary(input.length), open().datagram(ByteBuffer.wrap(input)));
        assertEquals(Decision.binary(input.length), open().endOfStream(ByteBuffer.wrap(input)));
    }

    @Test
    void incompleteTailAtEndOfStreamIsFlushedAsBinary() throws FramerConfigException {
        byte[] input = concat(utf8("ab"), hex("e2 82"));
        Result r = Driver.whole(open(), input);
        assertEquals(List.of(Msg.text("ab"), Msg.binary(hex("e2 82"))), r.messages());
        assertEquals(0, r.droppedAtEnd());
    }

    @Test
    void datagrams() throws FramerConfigException {
        FramingState s = open();
        assertEquals(Decision.text(5), s.datagram(ByteBuffer.wrap(utf8("hé!!"))));
        assertEquals(Decision.binary(2), s.datagram(ByteBuffer.wrap(concat(utf8("h"), hex("c3")))));
        assertEquals(Decision.text(0), s.datagram(ByteBuffer.allocate(0)));
    }

    /** Random mixes of 1- to 4-byte characters, sometimes with an invalid byte, in every chop mode. */
    @Test
    void randomStreams() throws FramerConfigException {
        String[] chars = {"a", "\n", "é", "€", "𤭢", "ÿ", "中"};
        Random r = new Random(42);
        for (int round = 0; round < 60; round++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(200);
            for (int i = 0; i < n; i++) {
                sb.append(chars[r.nextInt(chars.length)]);
            }
            byte[] input = utf8(sb.toString());
            boolean valid = round % 3 != 0;
            if (!valid && input.length > 0) {
                input[r.nextInt(input.length)] = (byte) 0xff;
            }
            boolean isValid = Utf8.check(ByteBuffer.wrap(input), 0, input.length) == 0;
            byte[] in = input;
            Driver.allModes(this::open, input).forEach((mode, res) -> {
                assertArrayEquals(in, res.concatenated(), mode);
                assertEquals(0, res.droppedAtEnd(), mode);
                if (isValid) {
                    assertTrue(res.messages().stream().allMatch(Msg::text), mode + ": valid input degraded");
                }
            });
            List<Msg> whole = Driver.whole(open(), input).messages();
            if (input.length == 0) {
                assertEquals(List.of(), whole);
            } else {
                assertEquals(List.of(new Msg(isValid, input)), whole);
            }
            assertFalse(whole.size() > 1);
        }
    }
}
