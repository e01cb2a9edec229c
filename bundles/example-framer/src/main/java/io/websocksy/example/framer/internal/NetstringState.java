package io.websocksy.example.framer.internal;

import java.nio.ByteBuffer;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.framer.Utf8;

/**
 * The framing state of one connection of the {@code netstring} framer.
 *
 * <p>The bridge calls {@link #next} after every read with all bytes buffered so far (from the
 * buffer's position to its limit) and applies each decision before it asks again. So:
 * <ul>
 * <li>a netstring that is not complete yet gets {@link Decision#needMore()};</li>
 * <li>a complete one in {@code whole} mode is one decision: emit all its bytes;</li>
 * <li>a complete one in payload mode takes three: discard the {@code <length>:} prefix, emit the
 * payload, discard the {@code ,}. The state remembers which step comes next. An empty payload
 * ({@code 0:,}) is discarded whole, since a decision cannot emit zero bytes.</li>
 * </ul>
 *
 * <p>The prefix is re-parsed on every call until the netstring is complete. That is at most 11 bytes
 * (10 digits and the colon), so the work per read stays bounded: no need to remember a scan offset.
 * The payload itself is never scanned (except for the UTF-8 check of {@code text} mode, once).
 *
 * <p>A stream that is not netstrings (a non-digit where the length should be, a leading zero, a
 * length over 2147483600, or no {@code ,} after the payload) cannot be resynchronised: {@link #next}
 * throws, and the bridge closes this one connection with 1011 and logs the message with the framer's
 * name. At end of stream, a complete netstring still goes out as usual and anything else that is left
 * (a truncated netstring) is sent as one binary message, so nothing is lost silently.
 */
final class NetstringState implements FramingState {
    /** Longest accepted length; keeps prefix + payload + comma within an int. */
    static final int MAX_LENGTH = 2_147_483_600;
    private static final int MAX_DIGITS = 10;
    /** {@link #prefixLength} results that are not lengths. */
    private static final int INCOMPLETE = -1;
    private static final int MALFORMED = -2;

    private final boolean whole;
    private final boolean text;

    // payload mode: what comes next for the netstring at the start of the buffer
    private static final int PREFIX = 0;
    private static final int PAYLOAD = 1;
    private static final int COMMA = 2;
    private int step = PREFIX;
    private int payloadLength;
    /** Set by {@link #prefixLength} when it answers MALFORMED. */
    private String problem;

    NetstringState(boolean whole, boolean text) {
        this.whole = whole;
        this.text = text;
    }

    @Override
    public Decision next(ByteBuffer buffered) {
        switch (step) {
            case PAYLOAD:
                step = COMMA;
                return emit(buffered, buffered.position(), payloadLength);
            case COMMA:
                step = PREFIX;
                return Decision.discard(1);
            default:
                break;
        }
        int prefix = prefixLength(buffered);
        if (prefix == MALFORMED) {
            throw new IllegalStateException(NetstringFramer.NAME + ": the peer's stream is not netstrings: " + problem);
        }
        if (prefix == INCOMPLETE) {
            return Decision.needMore();
        }
        int length = parseLength(buffered, prefix - 1);
        int total = prefix + length + 1;
        if (buffered.remaining() < total) {
            return Decision.needMore(); // above max-message-size the bridge closes with 1009
        }
        byte comma = buffered.get(buffered.position() + total - 1);
        if (comma != ',') {
            throw new IllegalStateException(NetstringFramer.NAME + ": the peer's stream is not netstrings: byte 0x"
                    + Integer.toHexString(comma & 0xff) + " after a " + length + "-byte payload where ',' belongs");
        }
        if (whole) {
            return emit(buffered, buffered.position(), total);
        }
        if (length == 0) {
            return Decision.discard(total);
        }
        payloadLength = length;
        step = PAYLOAD;
        return Decision.discard(prefix);
    }

    @Override
    public Decision endOfStream(ByteBuffer buffered) {
        if (step != PREFIX) {
            return next(buffered);                    // the rest of a complete netstring
        }
        int prefix = prefixLength(buffered);
        if (prefix > 0) {
            int total = prefix + parseLength(buffered, prefix - 1) + 1;
            if (buffered.remaining() >= total && buffered.get(buffered.position() + total - 1) == ',') {
                return next(buffered);                // a complete netstring, as usual
            }
        }
        step = PREFIX;
        return Decision.binary(buffered.remaining()); // truncated or malformed: flush it raw
    }

    private Decision emit(ByteBuffer buf, int from, int length) {
        if (text && Utf8.check(buf, from, length) == 0) {
            return Decision.text(length);
        }
        return Decision.binary(length);
    }

    /**
     * Finds the {@code <length>:} prefix at the buffer's position.
     *
     * @return its length including the colon, {@link #INCOMPLETE} or {@link #MALFORMED}
     */
    private int prefixLength(ByteBuffer buf) {
        int base = buf.position();
        int available = Math.min(buf.remaining(), MAX_DIGITS + 1);
        for (int i = 0; i < available; i++) {
            byte c = buf.get(base + i);
            if (c == ':' && i > 0) {
                if (parseLength(buf, i) > MAX_LENGTH) {
                    problem = "length over " + MAX_LENGTH;
                    return MALFORMED;
                }
                return i + 1;
            }
            if (c < '0' || c > '9') {
                problem = "byte 0x" + Integer.toHexString(c & 0xff) + " where a length digit"
                        + (i > 0 ? " or ':'" : "") + " belongs";
                return MALFORMED;
            }
            if (i == 1 && buf.get(base) == '0') {
                problem = "length with a leading zero";
                return MALFORMED;
            }
        }
        if (buf.remaining() > MAX_DIGITS) {
            problem = "length with more than " + MAX_DIGITS + " digits";
            return MALFORMED;
        }
        return INCOMPLETE;
    }

    /** @return the decimal value of the {@code digits} bytes at the buffer's position (at most 10 digits) */
    private static int parseLength(ByteBuffer buf, int digits) {
        long value = 0;
        for (int i = 0; i < digits; i++) {
            value = value * 10 + (buf.get(buf.position() + i) - '0');
        }
        return (int) Math.min(value, Integer.MAX_VALUE);
    }
}
