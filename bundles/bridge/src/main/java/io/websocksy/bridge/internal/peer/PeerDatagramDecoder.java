package io.websocksy.bridge.internal.peer;

import java.nio.ByteBuffer;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramingState;

/** Datagram peers: each datagram is exactly one message; the framer only picks text or binary. */
public final class PeerDatagramDecoder extends MessageToMessageDecoder<Object> {
    private final FramingState state;
    private final String framer;

    public PeerDatagramDecoder(FramingState state, String framer) {
        this.state = state;
        this.framer = framer;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        ByteBuf content = msg instanceof ByteBufHolder ? ((ByteBufHolder) msg).content() : (ByteBuf) msg;
        ByteBuffer view = content.nioBuffer(content.readerIndex(), content.readableBytes()).asReadOnlyBuffer();
        Decision d;
        try {
            d = state.datagram(view);
        } catch (RuntimeException e) {
            throw new FramingException(1011, "framer threw " + e);
        }
        if (d == null || d.kind() == Decision.Kind.DISCARD || d.kind() == Decision.Kind.NEED_MORE) {
            return; // dropped (the input is released by the superclass)
        }
        ByteBuf payload = content.retain();
        payload.touch("framer " + framer);
        out.add(d.kind() == Decision.Kind.TEXT && PeerFramingDecoder.isUtf8(payload)
                ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        state.close();
    }
}
