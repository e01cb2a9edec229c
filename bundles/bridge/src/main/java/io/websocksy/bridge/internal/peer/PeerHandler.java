package io.websocksy.bridge.internal.peer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.websocksy.bridge.internal.relay.Connection;

/** The peer side: frames made by the framing stage go to the client; errors and EOF close the bridge. */
public final class PeerHandler extends ChannelInboundHandlerAdapter {
    private final Connection conn;

    public PeerHandler(Connection conn) {
        this.conn = conn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame) {
            conn.toClient((WebSocketFrame) msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        conn.peerReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        conn.peerWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        conn.peerInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof FramingException) {
            FramingException f = (FramingException) cause.getCause();
            conn.framingFailed(f.code, f.getMessage());
        } else {
            conn.peerFailed(cause);
        }
    }
}
