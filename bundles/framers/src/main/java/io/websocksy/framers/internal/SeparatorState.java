package io.websocksy.framers.internal;

import java.nio.ByteBuffer;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.framer.Utf8;

/**
 * Framing state shared by {@code separator} and {@code newline}: each message runs up to and
 * including the next occurrence of a separator byte sequence.
 *
 * <p>The scan is linear over the stream: {@link #from} remembers, relative to the first unconsumed
 * byte, where the next occurrence can start at the earliest. A read that brings no separator is
 * therefore scanned once, not again on every later read; the last {@code separator.length - 1}
 * bytes are rescanned because a separator may be split across reads. An emit moves the buffer start
 * to just after the separator, so the scan then restarts at 0.
 *
 * <p>Reading uses absolute gets only, so heap, direct and read-only buffers all work and the
 * buffer's position and limit are never changed. Nothing is allocated per call beyond the
 * {@link Decision}.
 */
final class SeparatorState implements FramingState {
    private final byte[] separator;
    private final boolean textIfValid;
    /** No separator starts before this index, relative to the buffer's position. */
    private int from;
    /**
     * The OR of every word and byte the scan has looked at since the last emit: no high bit means the
     * message is ASCII, so valid UTF-8 without a second pass (a word may reach past the separator, which
     * can only cause a needless check).
     */
    private long seen;
    /** Bytes examined so far, for tests that check the scan stays linear. */
    private long examined;

    /**
     * @param separator the separator, at least one byte; not copied, so do not change it
     * @param textIfValid true to send each message as text when it is valid UTF-8 ({@code newline}),
     *     false to send every message as binary ({@code separator})
     */
    SeparatorState(byte[] separator, boolean textIfValid) {
        if (separator.length == 0) {
            throw new IllegalArgumentException("empty separator");
        }
        this.separator = separator;
        this.textIfValid = textIfValid;
    }

    @Override
    public Decision next(ByteBuffer buffered) {
        int base = buffered.position();
        int length = buffered.remaining();
        if (from > length) {
            from = 0; // not the buffer we saw last time; scan it all rather than miss a separator
            seen = 0;
        }
        int end = indexOf(buffered, base, length);
        if (end < 0) {
            return Decision.needMore();
        }
        from = 0; // the emit drops everything up to and including this separator
        boolean ascii = (seen & HIGHS) == 0;
        seen = 0;
        if (textIfValid && (ascii || Utf8.check(buffered, base, end) == 0)) {
            return Decision.text(end);
        }
        return Decision.binary(end);
    }

    /**
     * Finds the next separator at or after {@link #from} and updates {@link #from} when there is none.
     *
     * @return the message length (up to and including the separator), or -1 when none was found
     */
    private int indexOf(ByteBuffer buf, int base, int length) {
        byte[] sep = separator;
        byte first = sep[0];
        int lastStart = length - sep.length; // last relative index where a separator fits
        int start = from;
        long pattern = (first & 0xFFL) * ONES;
        boolean bigEndian = buf.order() == java.nio.ByteOrder.BIG_ENDIAN;
        int i = start;
        while (i <= lastStart) {
            if (lastStart - i >= 7) {
                // 8 bytes per step (SWAR): a word without the separator's first byte is passed at once;
                // otherwise jump to that byte (in little-endian order the lowest hit is exact)
                long w = buf.getLong(base + i);
                seen |= w;
                long x = (bigEndian ? Long.reverseBytes(w) : w) ^ pattern;
                long hit = (x - ONES) & ~x & HIGHS;
                if (hit == 0) {
                    i += 8;
                    continue;
                }
                i += Long.numberOfTrailingZeros(hit) >>> 3;
            }
            byte b = buf.get(base + i);
            seen |= b & 0xFF;
            if (b == first && matchesRest(buf, base + i, sep)) {
                examined += i - start + sep.length;
                return i + sep.length;
            }
            i++;
        }
        int next = Math.max(start, lastStart + 1);
        examined += Math.max(0, length - start);
        from = next;
        return -1;
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private static boolean matchesRest(ByteBuffer buf, int at, byte[] sep) {
        for (int k = 1; k < sep.length; k++) {
            if (buf.get(at + k) != sep[k]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Decision endOfStream(ByteBuffer buffered) {
        from = 0;
        seen = 0;
        return Framing.textIfValid(buffered);
    }

    @Override
    public Decision datagram(ByteBuffer datagram) {
        return textIfValid ? Framing.textIfValid(datagram) : Decision.binary(datagram.remaining());
    }

    /** @return how many bytes the scan has examined, counting the rescanned split-separator window */
    long examined() {
        return examined;
    }
}
