package io.websocksy.framer.dynamic32.internal;

import java.nio.ByteBuffer;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramerName;
import io.websocksy.api.framer.FramingState;
import io.websocksy.framer.numbers.Numbers;

/**
 * The {@code dynamic32} framer: each segment of the peer's stream carries an unsigned 32-bit length
 * field at {@code offset}; the segment is {@code offset + 4 + static + length} bytes and is sent as one
 * binary message.
 *
 * <p>The config string is a comma-separated list of {@code key=value} entries, each key at most once:
 * {@code offset} (0 to 2147483647, default 0), {@code static} (-2147483648 to 2147483647, default 0;
 * negative when the length field counts bytes already counted elsewhere, e.g. {@code static=-4} when
 * it includes itself) and {@code endian} ({@code little}, the default, or {@code big}). Keys and the
 * endian names are case-insensitive; whitespace around entries, keys and values is ignored. Numbers
 * are decimal or {@code 0x} hex. Anything else is a config error naming the entry.
 *
 * <p>See {@link Segments} for how sizes that cannot be sent are handled.
 */
@Component(service = Framer.class, immediate = true)
@FramerName(Dynamic32Framer.NAME)
public final class Dynamic32Framer implements Framer {
    /** The name users write. */
    static final String NAME = "dynamic32";

    private static final String FORM = "expected a comma-separated list of offset=N, static=N, endian=little|big";

    @Override
    public FramingState open(String config) throws FramerConfigException {
        return parse(config);
    }

    /**
     * Parses a config string.
     *
     * @param config the config string; empty means all defaults
     * @return the framing state for one connection
     * @throws FramerConfigException naming the entry, key and value that are wrong
     */
    static Segments parse(String config) throws FramerConfigException {
        String all = config == null ? "" : config;
        int offset = 0;
        int statik = 0;
        boolean big = false;
        if (all.isBlank()) {
            return new Segments(offset, statik, big);
        }
        boolean seenOffset = false;
        boolean seenStatic = false;
        boolean seenEndian = false;
        String[] entries = all.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                throw error("empty entry " + (i + 1) + " (a stray comma?)", all);
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw error("entry '" + entry + "' has no '='", all);
            }
            String key = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = entry.substring(eq + 1).strip();
            switch (key) {
                case "offset":
                    seenOffset = once(seenOffset, key, all);
                    offset = (int) number(key, value, false, all);
                    break;
                case "static":
                    seenStatic = once(seenStatic, key, all);
                    statik = (int) number(key, value, true, all);
                    break;
                case "endian":
                    seenEndian = once(seenEndian, key, all);
                    String e = value.toLowerCase(Locale.ROOT);
                    if (!e.equals("little") && !e.equals("big")) {
                        throw error("endian '" + value + "' is neither little nor big", all);
                    }
                    big = e.equals("big");
                    break;
                default:
                    throw error("unknown key '" + entry.substring(0, eq).strip() + "' (with value '" + value
                            + "'; known keys: offset, static, endian)", all);
            }
        }
        return new Segments(offset, statik, big);
    }

    private static boolean once(boolean seen, String key, String config) throws FramerConfigException {
        if (seen) {
            throw error("key '" + key + "' given twice", config);
        }
        return true;
    }

    private static long number(String key, String value, boolean signed, String config) throws FramerConfigException {
        String problem = Numbers.problem(value, signed);
        if (problem != null) {
            throw error(key + " '" + value + "': " + problem + " (" + key + " is "
                    + (signed ? "-2147483648" : "0") + " to 2147483647, decimal or 0x hex)", config);
        }
        return Numbers.parse(value);
    }

    private static FramerConfigException error(String problem, String config) {
        return new FramerConfigException(NAME + ": " + problem + " in '" + config + "' (" + FORM + ")");
    }

    /**
     * The state of one connection; it holds only the parsed config, so a call never allocates beyond
     * the {@link Decision}.
     *
     * <p>Sizes are computed in {@code long}, so no combination of offset, static and length can
     * overflow. A segment larger than the buffer needs more bytes; one that can never be sent (above
     * 2 GiB, or above the listener's {@code max-message-size}) therefore makes the bridge close the
     * connection with 1009 when its buffer reaches the limit. A segment that would end before its own
     * length field (only possible with a negative {@code static}) means the stream is not framed the
     * way the config says: {@link #next} throws, and the bridge closes that connection with 1011 and
     * logs the message.
     */
    static final class Segments implements FramingState {
        /** Marks a header that is not buffered yet; no real size is this small. */
        private static final long INCOMPLETE = Long.MIN_VALUE;

        private final int offset;
        private final int statik;
        private final boolean bigEndian;

        Segments(int offset, int statik, boolean bigEndian) {
            this.offset = offset;
            this.statik = statik;
            this.bigEndian = bigEndian;
        }

        @Override
        public Decision next(ByteBuffer buffered) {
            long size = size(buffered);
            if (size == INCOMPLETE) {
                return Decision.needMore();
            }
            if (size < offset + 4L) {
                long length = lengthField(buffered);
                throw new IllegalStateException(NAME + ": length field " + length + " (0x"
                        + Long.toHexString(length) + ") at offset " + offset + " gives a " + size
                        + "-byte segment, shorter than its own header of " + (offset + 4L)
                        + " bytes (static=" + statik + "); the peer's stream does not match the config");
            }
            return size <= buffered.remaining() ? Decision.binary((int) size) : Decision.needMore();
        }

        @Override
        public Decision endOfStream(ByteBuffer buffered) {
            long size = size(buffered);
            int rest = buffered.remaining();
            // a complete segment as usual; otherwise the truncated rest (or a corrupt header) as one message
            return size >= offset + 4L && size <= rest ? Decision.binary((int) size) : Decision.binary(rest);
        }

        /**
         * @return the segment size announced by the buffered header (negative with a negative static),
         *     or {@link #INCOMPLETE} when the header is not buffered yet
         */
        private long size(ByteBuffer buffered) {
            if (buffered.remaining() < offset + 4L) {
                return INCOMPLETE;
            }
            return offset + 4L + statik + lengthField(buffered);
        }

        /** @return the unsigned length field; the header must be buffered */
        private long lengthField(ByteBuffer buffered) {
            int at = buffered.position() + offset;
            int b0 = buffered.get(at) & 0xff;
            int b1 = buffered.get(at + 1) & 0xff;
            int b2 = buffered.get(at + 2) & 0xff;
            int b3 = buffered.get(at + 3) & 0xff;
            int v = bigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b3 << 24 | b2 << 16 | b1 << 8 | b0;
            return Integer.toUnsignedLong(v);
        }

        int offset() {
            return offset;
        }

        int statik() {
            return statik;
        }

        boolean bigEndian() {
            return bigEndian;
        }
    }
}
