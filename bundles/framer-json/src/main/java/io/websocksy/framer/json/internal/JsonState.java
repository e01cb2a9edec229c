package io.websocksy.framer.json.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.framer.Utf8;

/**
 * The per-connection scanner of the {@code json} framer.
 *
 * <p><b>Messages.</b> Each complete top-level JSON value is one text message, exactly the bytes of the
 * value: whitespace between values (space, tab, CR, LF) and the RFC 7464 record separator
 * {@code 0x1E} are discarded and never part of a message. Objects, arrays, strings and the literals
 * are complete at their last byte. A top-level number has no last byte of its own, so it is complete
 * when the next byte is whitespace, {@code 0x1E}, one of {@code [ ] { } , : "}, or at end of stream;
 * {@code 1 2} is two messages and {@code 1"x"} is {@code 1} and {@code "x"}. A value whose strings hold
 * invalid UTF-8 (all JSON outside strings is ASCII) is complete all the same and goes out as one
 * binary message, since a text message must be valid UTF-8.
 *
 * <p><b>Syntax errors.</b> The grammar is RFC 8259's: strings may not contain raw control characters
 * (below {@code 0x20}); escapes are {@code \" \\ \/ \b \f \n \r \t} and backslash-u with four
 * hex digits (surrogate pairing is not checked, as RFC 8259 allows); numbers are
 * {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, so {@code 01}, {@code 1.}, {@code .5},
 * {@code +1} and {@code 1e} are errors; literals are spelled exactly. At the first byte that cannot
 * continue the value, the bytes from the start of the value up to and including that offending byte
 * are sent as one binary message, and scanning starts afresh with the next byte as if nothing had
 * been buffered before it. For example, <code>[1,&#125;]</code> gives the binary messages
 * <code>[1,&#125;</code> and {@code ]}; {@code trux} gives {@code trux}; {@code 01} gives {@code 01}.
 *
 * <p><b>End of stream.</b> Complete values are sent as usual; a top-level number at the very end is
 * complete; whatever is left of an unfinished value (e.g. <code>&#123;"a":</code>) is sent as one binary message.
 *
 * <p><b>Cost.</b> The scan state (mode, nesting, string escape and UTF-8 progress, number and
 * literal progress, and {@link #pos}, how many bytes of the pending value are already scanned) is
 * kept across calls, so every byte of the stream is examined once, however the peer's data is split
 * into reads (a byte that ends a number or breaks a UTF-8 sequence is examined twice). Nesting is an
 * explicit bit stack, never recursion, so depth is bounded only by the bridge's
 * {@code max-message-size}. Nothing is allocated per byte: only the {@link Decision} of each message,
 * and the bit stack when nesting grows past 4096 levels.
 */
final class JsonState implements FramingState {
    // modes
    /** A value must start here; at depth 0 with {@link #pos} 0 this is "nothing pending". */
    private static final int VALUE = 0;
    /** After {@code [}: a value or {@code ]}. */
    private static final int ARRAY_FIRST = 1;
    /** After <code>{</code>: a key or <code>}</code>. */
    private static final int OBJECT_FIRST = 2;
    /** After a comma in an object: a key. */
    private static final int KEY = 3;
    /** After a key: a colon. */
    private static final int COLON = 4;
    /** After a value inside a container: a comma or the container's closer. */
    private static final int AFTER = 5;
    /** Inside a string. */
    private static final int STRING = 6;
    /** After a backslash in a string. */
    private static final int ESCAPE = 7;
    /** Inside the four hex digits of a {@code \\u} escape. */
    private static final int UNICODE = 8;
    /** Inside a multi-byte UTF-8 sequence in a string. */
    private static final int UTF8 = 9;
    /** Inside a number; see the {@code N_} states. */
    private static final int NUMBER = 10;
    /** Inside {@code true}, {@code false} or {@code null}. */
    private static final int LITERAL = 11;

    // number states; the ones marked terminal may end the number
    private static final int N_MINUS = 0;
    private static final int N_ZERO = 1;       // terminal
    private static final int N_INT = 2;        // terminal
    private static final int N_DOT = 3;
    private static final int N_FRAC = 4;       // terminal
    private static final int N_EXP = 5;
    private static final int N_EXP_SIGN = 6;
    private static final int N_EXP_DIGITS = 7; // terminal

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Initial size of the nesting bit stack, in longs (4096 levels). */
    private static final int STACK_WORDS = 64;

    private int mode = VALUE;
    /** Bytes of the pending value already scanned, relative to the buffer's position. */
    private int pos;
    /** Open containers. */
    private int depth;
    /** Bit {@code d} set: the container at depth {@code d + 1} is an object, else an array. */
    private long[] objects = new long[STACK_WORDS];
    /** The string being scanned is an object key. */
    private boolean key;
    /** The pending value holds invalid UTF-8 in a string. */
    private boolean invalidUtf8;
    /** Hex digits still expected in a {@code \\u} escape. */
    private int hexLeft;
    /** UTF-8 continuation bytes still expected, and the range allowed for the next one. */
    private int contLeft;
    private int contLo;
    private int contHi;
    /** Number state. */
    private int num;
    /** The literal being matched and how much of it has matched. */
    private byte[] literal = TRUE;
    private int litIndex;
    /** Byte examinations so far, for the tests that prove the scan linear. */
    private long examined;

    @Override
    public Decision next(ByteBuffer buffered) {
        return scan(buffered, false);
    }

    @Override
    public Decision endOfStream(ByteBuffer buffered) {
        return scan(buffered, true);
    }

    /** Datagrams are whole messages already: text when valid UTF-8, else binary. */
    @Override
    public Decision datagram(ByteBuffer datagram) {
        int n = datagram.remaining();
        return Utf8.check(datagram, datagram.position(), n) == 0 ? Decision.text(n) : Decision.binary(n);
    }

    @Override
    public void close() {
        reset();
    }

    private Decision scan(ByteBuffer buf, boolean eof) {
        final int base = buf.position();
        final int length = buf.remaining();
        if (pos > length) {
            reset(); // not the buffer scanned last time; start over rather than index past its end
        }
        if (mode == VALUE && depth == 0) { // nothing pending: drop separators before the next value
            int sep = 0;
            while (sep < length && isTopSeparator(buf.get(base + sep))) {
                sep++;
            }
            examined += sep;
            if (sep > 0) {
                return Decision.discard(sep);
            }
        }
        final boolean bigEndian = buf.order() == ByteOrder.BIG_ENDIAN;
        int i = pos;
        while (i < length) {
            int c = buf.get(base + i) & 0xff;
            examined++;
            switch (mode) {
                case STRING:
                    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                        // plain string bytes: skip 8 at a time up to the next quote, backslash, control or
                        // high byte (SWAR: a word with none of them is passed without looking at each byte)
                        // and in a word with one, jump straight to the first (the lowest hit is exact)
                        i++;
                        int start = i;
                        while (length - i >= 8) {
                            long w = buf.getLong(base + i);
                            long hit = specials(bigEndian ? Long.reverseBytes(w) : w);
                            if (hit != 0) {
                                i += Long.numberOfTrailingZeros(hit) >>> 3;
                                break;
                            }
                            i += 8;
                        }
                        examined += i - start;
                        continue;
                    }
                    if (c == '"') {
                        if (key) {
                            key = false;
                            mode = COLON;
                        } else if (depth == 0) {
                            return emit(i + 1);
                        } else {
                            mode = AFTER;
                        }
                    } else if (c == '\\') {
                        mode = ESCAPE;
                    } else if (c < 0x20) {
                        return error(i);
                    } else if (c >= 0x80) {
                        utf8Lead(c);
                    }
                    i++;
                    continue;
                case UTF8:
                    if (c < contLo || c > contHi) {
                        invalidUtf8 = true;
                        mode = STRING;
                        continue; // this byte is not part of the sequence: look at it again as a string byte
                    }
                    contLo = 0x80;
                    contHi = 0xBF;
                    if (--contLeft == 0) {
                        mode = STRING;
                    }
                    i++;
                    continue;
                case ESCAPE:
                    switch (c) {
                        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                            mode = STRING;
                            break;
                        case 'u':
                            hexLeft = 4;
                            mode = UNICODE;
                            break;
                        default:
                            return error(i);
                    }
                    i++;
                    continue;
                case UNICODE:
                    if (!isHex(c)) {
                        return error(i);
                    }
                    if (--hexLeft == 0) {
                        mode = STRING;
                    }
                    i++;
                    continue;
                case NUMBER:
                    if (number(c)) {
                        i++;
                        if (num == N_INT || num == N_FRAC || num == N_EXP_DIGITS) {
                            // a run of digits stays in the same state: pass it without the state machine
                            int start = i;
                            while (i < length && isDigit(buf.get(base + i))) {
                                i++;
                            }
                            examined += i - start;
                        }
                        continue;
                    }
                    if (!isNumberEnd(num) || !isDelimiter(c)) {
                        return error(i);
                    }
                    if (depth == 0) {
                        return emit(i); // the delimiter is not part of the number
                    }
                    mode = AFTER;
                    continue; // look at the delimiter again as what follows the value
                case LITERAL:
                    if (c != literal[litIndex]) {
                        return error(i);
                    }
                    i++;
                    if (++litIndex == literal.length) {
                        if (depth == 0) {
                            return emit(i);
                        }
                        mode = AFTER;
                    }
                    continue;
                default:
                    break;
            }
            // structural modes: whitespace inside a pending value is kept as part of it
            if (isWhitespace(c) && depth > 0) {
                i++;
                continue;
            }
            switch (mode) {
                case VALUE:
                    if (!startValue(c)) {
                        return error(i);
                    }
                    break;
                case ARRAY_FIRST:
                    if (c == ']') {
                        depth--;
                        if (depth == 0) {
                            return emit(i + 1);
                        }
                        mode = AFTER;
                    } else if (!startValue(c)) {
                        return error(i);
                    }
                    break;
                case OBJECT_FIRST:
                case KEY:
                    if (c == '"') {
                        key = true;
                        mode = STRING;
                    } else if (c == '}' && mode == OBJECT_FIRST) {
                        depth--;
                        if (depth == 0) {
                            return emit(i + 1);
                        }
                        mode = AFTER;
                    } else {
                        return error(i);
                    }
                    break;
                case COLON:
                    if (c != ':') {
                        return error(i);
                    }
                    mode = VALUE;
                    break;
                case AFTER:
                    boolean inObject = inObject();
                    if (c == ',') {
                        mode = inObject ? KEY : VALUE;
                    } else if (c == (inObject ? '}' : ']')) {
                        depth--;
                        if (depth == 0) {
                            return emit(i + 1);
                        }
                    } else {
                        return error(i);
                    }
                    break;
                default:
                    throw new IllegalStateException("json: unknown scanner mode " + mode);
            }
            i++;
        }
        pos = length;
        return eof ? atEndOfStream(length) : Decision.needMore();
    }

    /** Starts the value whose first byte is {@code c}; false when no value starts with it. */
    private boolean startValue(int c) {
        switch (c) {
            case '{':
                push(true);
                mode = OBJECT_FIRST;
                return true;
            case '[':
                push(false);
                mode = ARRAY_FIRST;
                return true;
            case '"':
                key = false;
                mode = STRING;
                return true;
            case '-':
                num = N_MINUS;
                mode = NUMBER;
                return true;
            case '0':
                num = N_ZERO;
                mode = NUMBER;
                return true;
            case 't':
                return startLiteral(TRUE);
            case 'f':
                return startLiteral(FALSE);
            case 'n':
                return startLiteral(NULL);
            default:
                if (c >= '1' && c <= '9') {
                    num = N_INT;
                    mode = NUMBER;
                    return true;
                }
                return false;
        }
    }

    private boolean startLiteral(byte[] which) {
        literal = which;
        litIndex = 1;
        mode = LITERAL;
        return true;
    }

    /** Advances the number state by {@code c}; false when {@code c} cannot continue the number. */
    private boolean number(int c) {
        boolean digit = c >= '0' && c <= '9';
        switch (num) {
            case N_MINUS:
                if (c == '0') {
                    num = N_ZERO;
                    return true;
                }
                if (digit) {
                    num = N_INT;
                    return true;
                }
                return false;
            case N_ZERO:
            case N_INT:
                if (digit && num == N_INT) {
                    return true;
                }
                if (c == '.') {
                    num = N_DOT;
                    return true;
                }
                if (c == 'e' || c == 'E') {
                    num = N_EXP;
                    return true;
                }
                return false;
            case N_DOT:
            case N_FRAC:
                if (digit) {
                    num = N_FRAC;
                    return true;
                }
                if (num == N_FRAC && (c == 'e' || c == 'E')) {
                    num = N_EXP;
                    return true;
                }
                return false;
            case N_EXP:
                if (c == '+' || c == '-') {
                    num = N_EXP_SIGN;
                    return true;
                }
                // fall through: a digit right after the e
            case N_EXP_SIGN:
            case N_EXP_DIGITS:
                if (digit) {
                    num = N_EXP_DIGITS;
                    return true;
                }
                return false;
            default:
                throw new IllegalStateException("json: unknown number state " + num);
        }
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * @return true when a byte of {@code v} may be a quote, a backslash, a control character (below
     *     0x20) or 0x80 and above: exact when there is none, and a word with one always says true (a borrow
     *     can only add a false hit next to a true one)
     */
    static boolean special(long v) {
        return specials(v) != 0;
    }

    /**
     * @param v eight bytes, the first in memory as the least significant (little-endian order)
     * @return the high bit of each byte that may be a quote, a backslash, a control character or 0x80 and
     *     above; 0 exactly when there is none, and the lowest bit set always marks a true one (a borrow
     *     only adds false hits above a true one)
     */
    static long specials(long v) {
        long q = v ^ (0x22 * ONES);
        long b = v ^ (0x5C * ONES);
        return (((v - 0x20 * ONES) & ~v) | ((q - ONES) & ~q) | ((b - ONES) & ~b) | v) & HIGHS;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isNumberEnd(int num) {
        return num == N_ZERO || num == N_INT || num == N_FRAC || num == N_EXP_DIGITS;
    }

    /** A byte after which a complete number has ended. */
    private static boolean isDelimiter(int c) {
        switch (c) {
            case ' ': case '\t': case '\n': case '\r': case 0x1E:
            case ',': case ':': case '[': case ']': case '{': case '}': case '"':
                return true;
            default:
                return false;
        }
    }

    private static boolean isWhitespace(int c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static boolean isTopSeparator(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0x1E;
    }

    private static boolean isHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** Handles a string byte of {@code 0x80} or above: the lead of a UTF-8 sequence, or invalid. */
    private void utf8Lead(int c) {
        contLo = 0x80;
        contHi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            contLeft = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            contLeft = 2;
            if (c == 0xE0) {
                contLo = 0xA0;          // no overlongs
            } else if (c == 0xED) {
                contHi = 0x9F;          // no surrogates
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            contLeft = 3;
            if (c == 0xF0) {
                contLo = 0x90;          // no overlongs
            } else if (c == 0xF4) {
                contHi = 0x8F;          // nothing above U+10FFFF
            }
        } else {
            invalidUtf8 = true;         // a continuation byte without a lead, C0, C1, F5..FF
            return;
        }
        mode = UTF8;
    }

    private boolean inObject() {
        int d = depth - 1;
        return (objects[d >>> 6] & 1L << d) != 0;
    }

    private void push(boolean object) {
        if (depth == objects.length * 64) {
            objects = Arrays.copyOf(objects, objects.length * 2);
        }
        long bit = 1L << depth;
        if (object) {
            objects[depth >>> 6] |= bit;
        } else {
            objects[depth >>> 6] &= ~bit;
        }
        depth++;
    }

    /** End of stream with every byte scanned and no decision yet. */
    private Decision atEndOfStream(int length) {
        if (mode == NUMBER && depth == 0 && isNumberEnd(num)) {
            return emit(length);
        }
        if (length == 0) {
            return Decision.needMore();
        }
        reset();
        return Decision.binary(length); // an unfinished value
    }

    private Decision emit(int n) {
        boolean binary = invalidUtf8;
        reset();
        return binary ? Decision.binary(n) : Decision.text(n);
    }

    /** The byte at {@code at} cannot continue the value: send the value so far and that byte, as binary. */
    private Decision error(int at) {
        reset();
        return Decision.binary(at + 1);
    }

    private void reset() {
        mode = VALUE;
        pos = 0;
        depth = 0;
        key = false;
        invalidUtf8 = false;
        if (objects.length > STACK_WORDS) {
            objects = new long[STACK_WORDS]; // give back what a very deep value needed
        }
    }

    /** @return byte examinations so far (a few bytes count twice, see the class comment) */
    long examined() {
        return examined;
    }

    /** @return the current nesting depth, for tests */
    int depth() {
        return depth;
    }
}
