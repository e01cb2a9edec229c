package io.websocksy.itests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * How a test case's bytes are cut into TCP writes (Autobahn "chops"): whole, one octet per write, or
 * seeded random segments of 1 to 64 bytes. The socket must have TCP_NODELAY so each write leaves as
 * its own segment.
 */
public enum Chop {
    WHOLE, OCTETS, RANDOM;

    /** The three modes, for cases that run each. */
    public static final Chop[] ALL = values();

    /**
     * Writes {@code b} in this chop mode and flushes after every piece.
     *
     * @param out the socket's stream
     * @param b the bytes
     * @param seed seed for {@link #RANDOM}
     */
    public void write(OutputStream out, byte[] b, long seed) throws IOException {
        write(out, b, seed, () -> false);
    }

    /**
     * Like {@link #write(OutputStream, byte[], long)}, but stops between two pieces once
     * {@code stop} is true (e.g. the server has answered).
     */
    public void write(OutputStream out, byte[] b, long seed, java.util.function.BooleanSupplier stop) throws IOException {
        switch (this) {
            case WHOLE:
                out.write(b);
                out.flush();
                return;
            case OCTETS:
                for (byte x : b) {
                    if (stop.getAsBoolean()) {
                        return;
                    }
                    out.write(x);
                    out.flush();
                }
                return;
            default:
                SplittableRandom r = new SplittableRandom(seed);
                for (int i = 0; i < b.length;) {
                    if (stop.getAsBoolean()) {
                        return;
                    }
                    int n = Math.min(b.length - i, 1 + r.nextInt(64));
                    out.write(b, i, n);
                    out.flush();
                    i += n;
                }
        }
    }
}
