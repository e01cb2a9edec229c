package io.websocksy.framers.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.websocksy.api.framer.Decision;

/**
 * The separator scan (8 bytes per step) against a plain byte-by-byte split, on random inputs with the
 * separator at every alignment, in heap, direct, big- and little-endian buffers at an offset, offered
 * whole and in random reads.
 */
class SeparatorScanTest {
    static List<Integer> naive(byte[] in, byte[] sep) {
        List<Integer> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + sep.length <= in.length; i++) {
            boolean m = true;
            for (int k = 0; k < sep.length && m; k++) {
                m = in[i + k] == sep[k];
            }
            if (m) {
                out.add(i + sep.length - start);
                start = i + sep.length;
                i = start - 1;
            }
        }
        return out;
    }

    @Test
    void sameMessagesAsAByteByByteSplit() {
        Random r = new Random(3);
        byte[][] seps = {{'\n'}, {'\r', '\n'}, {0}, {(byte) 0xFF, (byte) 0xFE, 0}, {'\n', '\r'}};
        for (int round = 0; round < 5000; round++) {
            byte[] sep = seps[r.nextInt(seps.length)];
            byte[] in = new byte[r.nextInt(200)];
            boolean asciiMostly = r.nextBoolean();
            for (int i = 0; i < in.length; i++) {
                in[i] = asciiMostly && r.nextInt(6) != 0 ? (byte) ('a' + r.nextInt(26)) : r.nextInt(8) == 0 ? sep[r.nextInt(sep.length)] : (byte) (r.nextBoolean() ? 'a' + r.nextInt(26) : r.nextInt(256));
            }
            List<Integer> expected = naive(in, sep);
            int off = r.nextInt(9);
            byte[] padded = new byte[off + in.length];
            System.arraycopy(in, 0, padded, off, in.length);
            ByteBuffer direct = ByteBuffer.allocateDirect(padded.length).put(padded).flip();
            for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.wrap(padded), ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN),
                direct.asReadOnlyBuffer(), direct.duplicate().order(ByteOrder.LITTLE_ENDIAN)}) {
                for (boolean chopped : new boolean[] {false, true}) {
                    boolean text = r.nextBoolean();
                    SeparatorState s = new SeparatorState(sep, text);
                    List<Integer> got = new ArrayList<>();
                    int pos = off;
                    int limit = chopped ? Math.min(padded.length, off + r.nextInt(in.length + 1)) : padded.length;
                    while (true) {
                        buf.limit(limit).position(pos);
                        Decision d = s.next(buf);
                        if (d.kind() == Decision.Kind.NEED_MORE) {
                            if (limit == padded.length) {
                                break;
                            }
                            limit = Math.min(padded.length, limit + 1 + r.nextInt(20));
                            continue;
                        }
                        got.add(d.length());
                        if (text) {
                            byte[] msg = java.util.Arrays.copyOfRange(padded, pos, pos + d.length());
                            boolean valid = io.websocksy.api.framer.Utf8.isValid(ByteBuffer.wrap(msg));
                            assertEquals(valid ? Decision.Kind.TEXT : Decision.Kind.BINARY, d.kind(),
                                    "text only when valid UTF-8, round " + round);
                        }
                        pos += d.length();
                    }
                    assertEquals(expected, got, "round " + round + " " + buf + " chopped " + chopped);
                }
            }
        }
    }
}
