package io.websocksy.framer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.framer.Utf8;

/**
 * Simulates the bridge for one connection: appends each chunk to a growable buffer, asks the
 * framing state for decisions while they consume bytes, applies them, and at the end calls
 * {@code endOfStream} the same way. The buffer shown to the framer is a read-only view whose
 * position is usually not 0 (consumed bytes are compacted away only now and then), so framers that
 * confuse relative and absolute indexes fail. It checks the contract on the way: no decision larger
 * than the buffer, no empty emit, no text message with invalid UTF-8.
 *
 * <p>Shared by the tests of every framer bundle (test scope only: a framer bundle still imports
 * nothing but the API). A third-party framer can use it the same way: see the example framer.
 */
public final class Driver {
    /** One emitted message. */
    public record Msg(boolean text, byte[] bytes) {
        public static Msg text(String s) {
            return new Msg(true, s.getBytes(StandardCharsets.UTF_8));
        }

        public static Msg binary(String s) {
            return new Msg(false, s.getBytes(StandardCharsets.UTF_8));
        }

        public static Msg binary(byte... b) {
            return new Msg(false, b);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Msg m && m.text == text && Arrays.equals(m.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes) * 2 + (text ? 1 : 0);
        }

        @Override
        public String toString() {
            return (text ? "text[" + new String(bytes, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n")
                    : "binary[" + HexFormat.of().formatHex(bytes)) + "]";
        }
    }

    /** What one run produced. */
    public record Result(List<Msg> messages, int droppedAtEnd, int nextCalls) {
        public byte[] concatenated() {
            int n = messages.stream().mapToInt(m -> m.bytes.length).sum();
            byte[] all = new byte[n];
            int at = 0;
            for (Msg m : messages) {
                System.arraycopy(m.bytes, 0, all, at, m.bytes.length);
                at += m.bytes.length;
            }
            return all;
        }
    }

    private final FramingState state;
    private final boolean direct;
    private byte[] acc = new byte[64];
    private int start;
    private int end;
    private final List<Msg> messages = new ArrayList<>();
    private int nextCalls;

    /**
     * @param state the framing state under test
     * @param direct show the framer a direct buffer (a copy) instead of a heap view
     */
    public Driver(FramingState state, boolean direct) {
        this.state = state;
        this.direct = direct;
    }

    /** Feeds one chunk as one read, then applies decisions until one consumes nothing. */
    public void read(byte[] chunk, int off, int len) {
        append(chunk, off, len);
        for (int guard = 0; ; guard++) {
            if (guard > 10_000_000) {
                fail("framer never stops deciding");
            }
            nextCalls++;
            Decision d = state.next(view());
            if (d.kind() == Decision.Kind.NEED_MORE) {
                return;
            }
            apply(d);
        }
    }

    /** Ends the stream: asks {@code endOfStream} while bytes remain and decisions consume them. */
    public Result finish() {
        int dropped = 0;
        while (end > start) {
            Decision d = state.endOfStream(view());
            if (d.kind() == Decision.Kind.NEED_MORE) {
                dropped = end - start;
                break;
            }
            apply(d);
        }
        state.close();
        return new Result(List.copyOf(messages), dropped, nextCalls);
    }

    private void apply(Decision d) {
        int n = d.length();
        assertTrue(n <= end - start, () -> "framer bug: " + d + " with " + (end - start) + " bytes buffered");
        assertTrue(n > 0, () -> "framer returned " + d + ", which consumes nothing");
        if (d.emits()) {
            byte[] b = Arrays.copyOfRange(acc, start, start + n);
            boolean text = d.kind() == Decision.Kind.TEXT;
            if (text) {
                assertEquals(0, Utf8.check(ByteBuffer.wrap(b), 0, b.length),
                        () -> "text message with invalid UTF-8: " + HexFormat.of().formatHex(b));
            }
            messages.add(new Msg(text, b));
        }
        start += n;
    }

    private ByteBuffer view() {
        if (direct) {
            ByteBuffer d = ByteBuffer.allocateDirect(end - start + 3);
            d.position(3);
            d.put(acc, start, end - start);
            d.position(3);
            return d.asReadOnlyBuffer();
        }
        return ByteBuffer.wrap(acc, start, end - start).asReadOnlyBuffer();
    }

    private void append(byte[] b, int off, int len) {
        if (end + len > acc.length) {
            if (start > acc.length / 2) { // compact now and then, so the position is mostly not 0
                System.arraycopy(acc, start, acc, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end + len > acc.length) {
                acc = Arrays.copyOf(acc, Math.max(acc.length * 2, end + len));
            }
        }
        System.arraycopy(b, off, acc, end, len);
        end += len;
    }

    // ---- whole runs ----

    /** @return the result of feeding {@code input} in chunks of the given sizes (the last one may be cut) */
    public static Result run(FramingState state, byte[] input, boolean direct, int... chops) {
        Driver d = new Driver(state, direct);
        int at = 0;
        int k = 0;
        while (at < input.length) {
            int n = Math.min(chops[k++ % chops.length], input.length - at);
            d.read(input, at, n);
            at += n;
        }
        return d.finish();
    }

    /** @return the result of feeding the input as one read */
    public static Result whole(FramingState state, byte[] input) {
        return run(state, input, false, Math.max(1, input.length));
    }

    /** @return the result of feeding the input one byte per read */
    public static Result byteByByte(FramingState state, byte[] input) {
        return run(state, input, false, 1);
    }

    /** @return the result of feeding the input in random reads of 1 to {@code max} bytes */
    public static Result chopped(FramingState state, byte[] input, long seed, int max, boolean direct) {
        Random r = new Random(seed);
        int[] chops = new int[Math.max(1, input.length)];
        for (int i = 0; i < chops.length; i++) {
            chops[i] = 1 + r.nextInt(max);
        }
        return run(state, input, direct, chops);
    }

    /** Opens a fresh framing state; a config error fails the test. */
    @FunctionalInterface
    public interface Opener {
        FramingState open() throws FramerConfigException;

        default FramingState openOrFail() {
            try {
                return open();
            } catch (FramerConfigException e) {
                return fail(e);
            }
        }
    }

    /**
     * Runs the input whole, byte by byte, and in random chops (several seeds, small and larger chops,
     * heap and direct buffers), each with a fresh state.
     *
     * @return results by mode name, whole first
     */
    public static Map<String, Result> allModes(Opener opener, byte[] input) {
        Map<String, Result> results = new LinkedHashMap<>();
        results.put("whole", whole(opener.openOrFail(), input));
        results.put("byte-by-byte", byteByByte(opener.openOrFail(), input));
        for (long seed = 1; seed <= 6; seed++) {
            results.put("chops<=7 seed " + seed, chopped(opener.openOrFail(), input, seed, 7, false));
            results.put("chops<=64 seed " + seed, chopped(opener.openOrFail(), input, seed * 31, 64, seed % 2 == 0));
        }
        return results;
    }

    /** Asserts that every mode of {@link #allModes} emits exactly {@code expected} and drops nothing. */
    public static void assertAllModes(Opener opener, byte[] input, List<Msg> expected) {
        allModes(opener, input).forEach((mode, r) -> {
            assertEquals(expected, r.messages(), mode);
            assertEquals(0, r.droppedAtEnd(), mode);
        });
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
