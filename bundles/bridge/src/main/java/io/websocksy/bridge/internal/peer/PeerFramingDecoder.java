package io.websocksy.bridge.internal.peer;

import java.nio.ByteBuffer;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.framer.Utf8;

/**
 * Stream peers: accumulates the peer's bytes and asks the framer for one decision at a time (docs/behaviour.md#peers).
 * Emitted messages are retained slices of the accumulation, so a framer that passes bytes through
 * costs no copy. Enforces the contract: a full buffer while the framer needs more closes with 1009, a
 * decision beyond the buffer (or a throwing framer) closes with 1011, and text that is not valid
 * UTF-8 goes out as binary.
 */
public final class PeerFramingDecoder extends ByteToMessageDecoder {
    private final FramingState state;
    private final int maxMessage;
    /** Leak-record hint, built once: a String per message showed up in allocation profiles. */
    private final String touchHint;

    public PeerFramingDecoder(FramingState state, String framer, int maxMessage) {
        this.state = state;
        this.maxMessage = maxMessage;
        this.touchHint = "framer " + framer;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        Decision d = ask(in, false);
        if (d.kind() == Decision.Kind.NEED_MORE) {
            if (in.readableBytes() >= maxMessage) {
                in.skipBytes(in.readableBytes());
                throw new FramingException(1009, "peer message larger than " + maxMessage + " bytes");
            }
            return;
        }
        apply(d, in, out);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            Decision d = ask(in, true);
            if (d.kind() == Decision.Kind.NEED_MORE) {
                in.skipBytes(in.readableBytes());
                return;
            }
            apply(d, in, out);
        }
    }

    private Decision ask(ByteBuf in, boolean last) {
        ByteBuffer view = in.nioBuffer(in.readerIndex(), in.readableBytes()).asReadOnlyBuffer();
        Decision d;
        try {
            d = last ? state.endOfStream(view) : state.next(view);
        } catch (RuntimeException e) {
            in.skipBytes(in.readableBytes());
            throw new FramingException(1011, "framer threw " + e);
        }
        if (d == null) {
            in.skipBytes(in.readableBytes());
            throw new FramingException(1011, "framer returned no decision");
        }
        if (d.length() > in.readableBytes()) {
            int had = in.readableBytes();
            in.skipBytes(had);
            throw new FramingException(1011, "framer decided " + d + " with only " + had + " bytes buffered");
        }
        if (d.kind() != Decision.Kind.NEED_MORE && d.length() == 0) {
            return Decision.needMore(); // an empty emit would consume nothing and loop
        }
        return d;
    }

    private void apply(Decision d, ByteBuf in, List<Object> out) {
        int n = d.length();
        if (d.kind() == Decision.Kind.DISCARD) {
            in.skipBytes(n);
            return;
        }
        ByteBuf payload = in.readRetainedSlice(n);
        payload.touch(touchHint);
        out.add(d.kind() == Decision.Kind.TEXT && isUtf8(payload)
                ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload));
    }

    static boolean isUtf8(ByteBuf b) {
        return Utf8.isValid(b.nioBuffer(b.readerIndex(), b.readableBytes()));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        state.close();
    }
}
