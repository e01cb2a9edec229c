package io.websocksy.bridge.internal.relay;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;

/**
 * Netty's UTF-8 check of text messages (across fragments), with the violation handled here instead
 * of thrown down the pipeline: the {@link ProtocolViolations} sink (the connection) is told the close
 * code (1007) first, then the close frame is written and the channel closed, as Netty's validator
 * does with {@code closeOnProtocolViolation}.
 */
public final class ClientUtf8Check extends Utf8FrameValidator {
    private final ProtocolViolations violations;

    public ClientUtf8Check(ProtocolViolations violations) {
        super(false); // the close is ours, after the sink heard of it
        this.violations = violations;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (!(cause instanceof CorruptedWebSocketFrameException)) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        CorruptedWebSocketFrameException e = (CorruptedWebSocketFrameException) cause;
        String reason = e.getMessage() == null ? e.closeStatus().reasonText() : e.getMessage();
        violations.protocolViolation(e.closeStatus().code(), reason);
        if (ctx.channel().isOpen()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(e.closeStatus().code(), reason))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
