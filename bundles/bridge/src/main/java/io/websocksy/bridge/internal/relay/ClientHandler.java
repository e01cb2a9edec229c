package io.websocksy.bridge.internal.relay;

import java.io.IOException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The client side after the upgrade: data frames go to the peer, pings are answered, pongs dropped,
 * the close handshake and keep-alive handled. Frame syntax, masking and limits are already checked by
 * {@link ClientFrameDecoder}, UTF-8 by {@link ClientUtf8Check}, in front of it.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final Connection conn;

    public ClientHandler(Connection conn) {
        this.conn = conn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        conn.clientRead();
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
                || msg instanceof ContinuationWebSocketFrame) {
            WebSocketFrame f = (WebSocketFrame) msg;
            conn.fromClient(f.content(), f.isFinalFragment());
        } else if (msg instanceof PingWebSocketFrame) {
            conn.ping(((PingWebSocketFrame) msg).content());
        } else if (msg instanceof CloseWebSocketFrame) {
            conn.clientCloseFrame((CloseWebSocketFrame) msg);
        } else {
            ReferenceCountUtil.release(msg); // pongs (and anything unexpected) are dropped
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        conn.clientReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        conn.clientWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            conn.idle();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // protocol violations do not come here: the decoder and the UTF-8 check report them to the
        // connection themselves (ProtocolViolations)
        if (cause instanceof IOException) {
            ctx.close();
        } else {
            conn.close(1011, "internal error");
            org.slf4j.LoggerFactory.getLogger(ClientHandler.class).warn("#{} client pipeline error", conn.id(), cause);
        }
    }
}
