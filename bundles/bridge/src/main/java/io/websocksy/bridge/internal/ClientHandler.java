package io.websocksy.bridge.internal;

import java.io.IOException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The client side after the upgrade: data frames go to the peer, pings are answered, pongs dropped,
 * the close handshake and keep-alive handled. Frame syntax, masking, limits and UTF-8 are already
 * checked by Netty's frame decoder and UTF-8 validator in front of it.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final Connection conn;

    ClientHandler(Connection conn) {
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
        Throwable c = cause;
        while (c.getCause() != null && !(c instanceof CorruptedWebSocketFrameException)) {
            c = c.getCause();
        }
        if (c instanceof CorruptedWebSocketFrameException) {
            // the decoder / validator has sent the close frame (1002, 1007 or 1009) and closes the socket
            CorruptedWebSocketFrameException e = (CorruptedWebSocketFrameException) c;
            conn.protocolViolation(e.closeStatus().code(), e.getMessage());
            ctx.channel().close();
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            conn.close(1011, "internal error");
            org.slf4j.LoggerFactory.getLogger(ClientHandler.class).warn("#{} client pipeline error", conn.id(), cause);
        }
    }
}
