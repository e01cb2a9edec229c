package io.websocksy.api.framer;

/**
 * What a {@link FramingState} wants done with the bytes buffered so far. Immutable; the common
 * {@link #needMore()} answer is a shared constant, so returning it allocates nothing.
 */
public final class Decision {
    /** The kinds of decision. */
    public enum Kind {
        /** Keep the buffered bytes and read more from the peer. */
        NEED_MORE,
        /** Send the first {@link Decision#length()} bytes as one text message (invalid UTF-8 is sent as binary). */
        TEXT,
        /** Send the first {@link Decision#length()} bytes as one binary message. */
        BINARY,
        /** Drop the first {@link Decision#length()} bytes without sending them. */
        DISCARD
    }

    private static final Decision NEED_MORE = new Decision(Kind.NEED_MORE, 0);

    private final Kind kind;
    private final int length;

    private Decision(Kind kind, int length) {
        this.kind = kind;
        this.length = length;
    }

    /** @return keep everything buffered and wait for more bytes */
    public static Decision needMore() {
        return NEED_MORE;
    }

    /**
     * @param length number of bytes, at least 0 and at most what is buffered
     * @return send that many bytes as one text message
     */
    public static Decision text(int length) {
        return new Decision(Kind.TEXT, checked(length));
    }

    /**
     * @param length number of bytes, at least 0 and at most what is buffered
     * @return send that many bytes as one binary message
     */
    public static Decision binary(int length) {
        return new Decision(Kind.BINARY, checked(length));
    }

    /**
     * @param length number of bytes, at least 1 and at most what is buffered
     * @return drop that many bytes
     */
    public static Decision discard(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("discard length must be positive, got " + length);
        }
        return new Decision(Kind.DISCARD, length);
    }

    private static int checked(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        return length;
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the number of bytes concerned (0 for {@link Kind#NEED_MORE}) */
    public int length() {
        return length;
    }

    /** @return true for {@link Kind#TEXT} and {@link Kind#BINARY} */
    public boolean emits() {
        return kind == Kind.TEXT || kind == Kind.BINARY;
    }

    @Override
    public String toString() {
        return kind == Kind.NEED_MORE ? "NEED_MORE" : kind + "(" + length + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Decision && ((Decision) o).kind == kind && ((Decision) o).length == length;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + length;
    }
}
