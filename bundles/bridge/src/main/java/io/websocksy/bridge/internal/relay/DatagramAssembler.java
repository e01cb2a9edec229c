package io.websocksy.bridge.internal.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Joins the fragments of one client message into one datagram for a UDP or unix-dgram peer, up to a
 * limit ({@code max-message-size}, and at most 65 507 bytes for UDP). Runs on the connection's event
 * loop; owns the parts it holds until {@link #release()}.
 */
public final class DatagramAssembler {
    /** The largest UDP payload over IPv4. */
    static final int UDP_MAX_DATAGRAM = 65_507;

    private final ByteBufAllocator alloc;
    private final int limit;
    private CompositeByteBuf parts;

    DatagramAssembler(ByteBufAllocator alloc, int limit) {
        this.alloc = alloc;
        this.limit = limit;
    }

    /** @return the most bytes one datagram may hold */
    int limit() {
        return limit;
    }

    /** @return false when {@code n} more bytes would make the message larger than a datagram may be */
    boolean fits(int n) {
        return (parts == null ? 0 : parts.readableBytes()) + (long) n <= limit;
    }

    /**
     * Adds one fragment (ownership passes here).
     *
     * @return the whole datagram when {@code fin} (the caller owns it), else null
     */
    ByteBuf add(ByteBuf data, boolean fin) {
        if (parts == null) {
            parts = alloc.compositeBuffer(64);
        }
        parts.addComponent(true, data);
        if (!fin) {
            return null;
        }
        CompositeByteBuf whole = parts;
        parts = null;
        // one contiguous buffer per datagram: the native datagram write of a many-part composite
        // buffer sent a shortened datagram (docs/conformance.md G8), and a datagram is at most 64 KiB
        if (whole.numComponents() == 1) {
            return whole;
        }
        ByteBuf d = alloc.directBuffer(whole.readableBytes());
        d.writeBytes(whole);
        whole.release();
        return d;
    }

    /** Drops a message being assembled. */
    void release() {
        if (parts != null) {
            parts.release();
            parts = null;
        }
    }
}
