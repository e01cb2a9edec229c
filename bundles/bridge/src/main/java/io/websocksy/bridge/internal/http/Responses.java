package io.websocksy.bridge.internal.http;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Raw HTTP/1.1 responses of the handshake phase. */
public final class Responses {
    private Responses() {
    }

    /**
     * @return the reason phrase of {@code status}: Netty's, except for 414, where Netty keeps RFC 2616's
     *         "Request-URI Too Long" and RFC 9110 says "URI Too Long"
     */
    static String reason(int status) {
        return status == 414 ? "URI Too Long" : HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    /** Writes an error answer with Content-Length and Connection: close, then closes the channel. */
    public static void error(Channel ch, int status) {
        error(ch, status, 0);
    }

    /**
     * As {@link #error(Channel, int)}, with a {@code Retry-After} header when {@code retryAfter > 0}
     * (a 503 for a connection limit).
     */
    public static void error(Channel ch, int status, int retryAfter) {
        String body = status + " " + reason(status) + "\n";
        StringBuilder sb = new StringBuilder(160);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        if (status == 426) {
            sb.append("Sec-WebSocket-Version: 13\r\n");
        } else if (status == 405) {
            sb.append("Allow: GET\r\n");
        }
        if (retryAfter > 0) {
            sb.append("Retry-After: ").append(retryAfter).append("\r\n");
        }
        sb.append("Content-Type: text/plain; charset=utf-8\r\n");
        sb.append("Content-Length: ").append(body.length()).append("\r\n");
        sb.append("Connection: close\r\n\r\n").append(body);
        ch.writeAndFlush(ascii(ch.alloc(), sb)).addListener(ChannelFutureListener.CLOSE);
    }

    public static ByteBuf switching(ByteBufAllocator alloc, String accept, String subprotocol) {
        return switching(alloc, accept, subprotocol, null);
    }

    /** @param extensions the {@code Sec-WebSocket-Extensions} answer, or null for none */
    public static ByteBuf switching(ByteBufAllocator alloc, String accept, String subprotocol, String extensions) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
        sb.append("Sec-WebSocket-Accept: ").append(accept).append("\r\n");
        if (subprotocol != null) {
            sb.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
        }
        if (extensions != null) {
            sb.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
        }
        sb.append("\r\n");
        return ascii(alloc, sb);
    }

    private static ByteBuf ascii(ByteBufAllocator alloc, CharSequence s) {
        ByteBuf b = alloc.buffer(s.length());
        b.writeCharSequence(s, StandardCharsets.US_ASCII);
        return b;
    }
}
