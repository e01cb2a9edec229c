package io.websocksy.api.framer;

import java.nio.ByteBuffer;

/**
 * Strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), for
 * framers that choose between text and binary. Stateless and allocation-free.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** Result of {@link #check(ByteBuffer, int, int)} for invalid input. */
    public static final int INVALID = -1;

    /**
     * Checks {@code length} bytes of {@code buf} starting at absolute index {@code from}.
     *
     * @param buf bytes to check, by absolute index (the position is ignored and nothing is changed;
     *     {@code from + length} must not exceed the limit)
     * @param from absolute start index
     * @param length number of bytes
     * @return {@link #INVALID} if the bytes contain an invalid sequence; otherwise the number of bytes
     *     at the end that form an incomplete but so far valid sequence (0 to 3). 0 means fully valid.
     */
    public static int check(ByteBuffer buf, int from, int length) {
        int i = from;
        int end = from + length;
        boolean bigEndian = buf.order() == java.nio.ByteOrder.BIG_ENDIAN;
        while (i < end) {
            // ASCII fast path: 8 bytes per step; in a word with a high bit, jump straight to that byte
            if (end - i >= 8) {
                long v = buf.getLong(i) & 0x8080808080808080L;
                if (v == 0) {
                    i += 8;
                    continue;
                }
                // getLong follows the buffer's byte order: the first byte in memory is the most
                // significant in big-endian order, the least significant in little-endian
                i += (bigEndian ? Long.numberOfLeadingZeros(v) : Long.numberOfTrailingZeros(v)) >>> 3;
            }
            int b = buf.get(i) & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int left = end - i - 1;
            if (b >= 0xC2 && b <= 0xDF) {
                if (left < 1) {
                    return end - i;
                }
                if ((buf.get(i + 1) & 0xC0) != 0x80) {
                    return INVALID;
                }
                i += 2;
                continue;
            }
            int need;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                if (b == 0xE0) {
                    min2 = 0xA0;
                } else if (b == 0xED) {
                    max2 = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                if (b == 0xF0) {
                    min2 = 0x90;
                } else if (b == 0xF4) {
                    max2 = 0x8F;
                }
            } else {
                return INVALID;
            }
            for (int k = 1; k <= need; k++) {
                if (k > left) {
                    return end - i; // incomplete tail, valid so far
                }
                int c = buf.get(i + k) & 0xff;
                int lo = k == 1 ? min2 : 0x80;
                int hi = k == 1 ? max2 : 0xBF;
                if (c < lo || c > hi) {
                    return INVALID;
                }
            }
            i += need + 1;
        }
        return 0;
    }

    /**
     * @param buf bytes to check from position to limit
     * @return true when they are complete, valid UTF-8
     */
    public static boolean isValid(ByteBuffer buf) {
        return check(buf, buf.position(), buf.remaining()) == 0;
    }
}
