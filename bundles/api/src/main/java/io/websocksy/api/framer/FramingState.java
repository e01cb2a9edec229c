package io.websocksy.api.framer;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The per-connection state of a framer. It is used by one thread at a time and never concurrently.
 *
 * <p>After every read from a stream peer the bridge calls {@link #next(ByteBuffer)} with a read-only
 * view of every byte buffered so far, and repeats while the decisions consume bytes. The buffer's
 * position is the first unconsumed byte; the framer must not keep a reference to the buffer after the
 * call returns, and may move its position and limit freely (the bridge ignores them). A framer may
 * keep its own scan offset across calls to stay linear-time, as long as it accounts for the bytes that
 * its own decisions consumed.
 */
@ConsumerType
@FunctionalInterface
public interface FramingState {
    /**
     * Decides what to do with the buffered bytes.
     *
     * @param buffered read-only view of all bytes buffered for this connection (may be empty)
     * @return the decision; emitting or discarding more bytes than {@code buffered.remaining()} is a
     *     framer bug and closes the connection with 1011; a zero-length text or binary decision
     *     consumes nothing and is taken as {@link Decision#needMore()}
     */
    Decision next(ByteBuffer buffered);

    /**
     * Called when the peer has ended its stream; lets the framer flush what it still holds. The bridge
     * calls it repeatedly while it consumes bytes and the buffer is not empty. The default sends
     * everything as one text message, which the bridge downgrades to binary when it is not valid UTF-8.
     *
     * @param buffered read-only view of the remaining bytes (never empty)
     * @return the decision; {@link Decision#needMore()} drops what is left
     */
    default Decision endOfStream(ByteBuffer buffered) {
        return Decision.text(buffered.remaining());
    }

    /**
     * Chooses the type of one datagram from a datagram peer (udp, unix-dgram); a datagram is always
     * exactly one message. The default sends it as binary.
     *
     * @param datagram read-only view of the datagram
     * @return {@link Decision#text(int)} or {@link Decision#binary(int)} with the full length, or
     *     {@link Decision#discard(int)} to drop it
     */
    default Decision datagram(ByteBuffer datagram) {
        return Decision.binary(datagram.remaining());
    }

    /** Called once when the connection ends; releases what the state holds. */
    default void close() {
    }
}
