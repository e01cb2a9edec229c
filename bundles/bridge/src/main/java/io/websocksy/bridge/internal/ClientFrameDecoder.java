package io.websocksy.bridge.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.websocksy.api.framer.Utf8;

/**
 * Netty's RFC 6455 decoder with one change: a client close frame with a bad body (1-byte payload,
 * a status code outside the valid ranges, a reason that is not UTF-8) is answered with a close frame
 * (1002, or 1007 for the reason) before the connection is closed. Netty's own check runs after it
 * has marked the closing handshake as received and then closes without any close frame, which
 * leaves the client with 1006 (RELIABILITY C3, C6, U5).
 */
final class ClientFrameDecoder extends WebSocket13FrameDecoder {
    ClientFrameDecoder(WebSocketDecoderConfig config) {
        super(config);
    }

    @Override
    protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf buffer) {
        if (buffer == null || !buffer.isReadable()) {
            return;
        }
        int n = buffer.readableBytes();
        if (n == 1) {
            fail(ctx, buffer, WebSocketCloseStatus.PROTOCOL_ERROR, "close frame with a 1-byte payload");
        }
        int code = buffer.getUnsignedShort(buffer.readerIndex());
        if (!WebSocketCloseStatus.isValidStatusCode(code)) {
            fail(ctx, buffer, WebSocketCloseStatus.PROTOCOL_ERROR, "invalid close status code " + code);
        }
        if (n > 2 && Utf8.check(buffer.nioBuffer(buffer.readerIndex() + 2, n - 2), 0, n - 2) != 0) {
            fail(ctx, buffer, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "close reason is not valid UTF-8");
        }
    }

    private static void fail(ChannelHandlerContext ctx, ByteBuf buffer, WebSocketCloseStatus status, String why) {
        buffer.skipBytes(buffer.readableBytes());
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), why))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        throw new CorruptedWebSocketFrameException(status, why);
    }
}
