package io.websocksy.bench;

import java.util.SplittableRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Deterministic payloads (fixed seed), so runs are comparable. */
final class Payloads {
    private Payloads() {
    }

    /**
     * @param size bytes
     * @return random bytes (not valid UTF-8 in general), seed 42
     */
    static byte[] random(int size) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /**
     * @param size bytes
     * @return a direct buffer holding {@link #random(int)}
     */
    static ByteBuf direct(int size) {
        ByteBuf b = Unpooled.directBuffer(size, size);
        b.writeBytes(random(size));
        return b;
    }
}
