package io.websocksy.framers.internal;

import static io.websocksy.framer.testkit.Driver.concat;
import static io.websocksy.framer.testkit.Driver.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.framer.testkit.Driver;
import io.websocksy.framer.testkit.Driver.Msg;

/**
 * The edges of the word-at-a-time scans of {@code auto} and {@code newline}: a high bit at every position
 * of an 8-byte word, a separator split at every chunk edge, invalid UTF-8 right after an ASCII run; in
 * both byte orders, heap and direct, at a position that is not word-aligned.
 */
class FastPathEdgesTest {
    private static final byte[] E_ACUTE = {(byte) 0xC3, (byte) 0xA9};
    private static final byte[] INVALID = {(byte) 0xC0, (byte) 0xAF}; // an overlong '/'
    private static final byte[] LONE = {(byte) 0x80};                 // a continuation byte without a lead

    private static List<ByteBuffer> views(byte[] in) {
        ByteBuffer heap = ByteBuffer.allocate(in.length + 3);
        heap.position(3);
        heap.put(in);
        ByteBuffer direct = ByteBuffer.allocateDirect(in.length + 3);
        direct.position(3);
        direct.put(in);
        return List.of(heap.duplicate().position(3), heap.duplicate().position(3).order(ByteOrder.LITTLE_ENDIAN),
                direct.duplicate().position(3).asReadOnlyBuffer(),
                direct.duplicate().position(3).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void autoFindsAHighBitAtEveryPositionOfTheFirstWords() throws FramerConfigException {
        FramingState auto = new AutoFramer().open("");
        for (int at = 0; at < 24; at++) {
            for (int after = 0; after < 10; after++) {
                byte[] run = utf8("a".repeat(at));
                byte[] rest = utf8("b".repeat(after));
                for (ByteBuffer v : views(concat(run, E_ACUTE, rest))) {
                    assertEquals(Decision.text(at + 2 + after), auto.next(v), at + "/" + after + " " + v);
                }
                for (ByteBuffer v : views(concat(run, INVALID, rest))) {
                    assertEquals(Decision.binary(at + 2 + after), auto.next(v), at + "/" + after + " " + v);
                }
                for (ByteBuffer v : views(concat(run, LONE, rest))) {
                    assertEquals(Decision.binary(at + 1 + after), auto.next(v), at + "/" + after + " " + v);
                }
                // the start of a character at the very end is held back, the ASCII run before it goes
                for (ByteBuffer v : views(concat(run, rest, new byte[] {(byte) 0xE2, (byte) 0x82}))) {
                    Decision expected = at + after == 0 ? Decision.needMore() : Decision.text(at + after);
                    assertEquals(expected, auto.next(v), at + "/" + after + " " + v);
                }
            }
        }
    }

    @Test
    void newlineFindsAHighBitAtEveryPositionOfTheFirstWords() throws FramerConfigException {
        NewlineFramer framer = new NewlineFramer();
        for (int at = 0; at < 24; at++) {
            for (int after = 0; after < 10; after++) {
                byte[] run = utf8("a".repeat(at));
                byte[] rest = utf8("b".repeat(after) + "\r\nnext");
                for (ByteBuffer v : views(concat(run, E_ACUTE, rest))) {
                    assertEquals(Decision.text(at + 4 + after), framer.open("crlf").next(v), at + "/" + after + " " + v);
                }
                for (ByteBuffer v : views(concat(run, INVALID, rest))) {
                    assertEquals(Decision.binary(at + 4 + after), framer.open("crlf").next(v), at + "/" + after + " " + v);
                }
                for (ByteBuffer v : views(concat(run, LONE, rest))) {
                    assertEquals(Decision.binary(at + 3 + after), framer.open("crlf").next(v), at + "/" + after + " " + v);
                }
                // a high bit only after the separator, in the same word: this line is still text
                for (ByteBuffer v : views(concat(run, utf8("\r\n"), INVALID, rest))) {
                    assertEquals(Decision.text(at + 2), framer.open("crlf").next(v), at + "/" + after + " " + v);
                }
            }
        }
    }

    @Test
    void aSeparatorSplitAtEveryChunkEdgeGivesTheSameLines() throws FramerConfigException {
        byte[] input = concat(utf8("0123456789abcdef0123\r\n"), utf8("x".repeat(13)), INVALID, utf8("\r\n"),
                utf8("caf"), E_ACUTE, utf8("\r\n\r\n"), utf8("y".repeat(17) + "\r\n"));
        List<Msg> expected = List.of(Msg.text("0123456789abcdef0123\r\n"),
                Msg.binary(concat(utf8("x".repeat(13)), INVALID, utf8("\r\n"))), Msg.text("café\r\n"),
                Msg.text("\r\n"), Msg.text("y".repeat(17) + "\r\n"));
        for (boolean direct : new boolean[] {false, true}) {
            for (int first = 1; first < input.length; first++) {
                for (int chunk = 1; chunk <= 9; chunk++) {
                    int[] chops = {first, chunk};
                    Driver.Result r = Driver.run(new NewlineFramer().open("crlf"), input, direct, chops);
                    assertEquals(expected, r.messages(), "first read " + first + ", then " + chunk + " direct " + direct);
                }
            }
        }
    }
}
