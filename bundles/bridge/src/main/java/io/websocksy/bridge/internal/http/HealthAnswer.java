package io.websocksy.bridge.internal.http;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * The listener's answer to a load balancer's health check (listener key {@code health-path}): a plain
 * {@code GET} of that path without {@code Upgrade} gets {@code 200} while the listener takes connections
 * and {@code 503} while it drains or while its backend is not running. No backend is asked and no peer is contacted, so a check costs one
 * short TCP connection and nothing else. A check is not a client: it is neither counted against the
 * connection limits nor logged.
 */
public final class HealthAnswer {
    private HealthAnswer() {
    }

    /** @return true when {@code head} is a health check of this listener (answer it with {@link #answer}) */
    public static boolean matches(HttpHead head, String healthPath) {
        if (healthPath.isEmpty() || !"GET".equals(head.method) || head.first("Upgrade") != null) {
            return false;
        }
        String t = head.target;
        int q = t.indexOf('?');
        return (q < 0 ? t : t.substring(0, q)).equals(healthPath);
    }

    /**
     * Writes {@code 200 ok}, or {@code 503} with the reason ({@code draining}, {@code no backend}), and
     * closes the channel.
     *
     * @param problem null when healthy
     */
    public static void answer(Channel ch, String problem) {
        int status = problem == null ? 200 : 503;
        String body = (problem == null ? "ok" : problem) + "\n";
        String text = "HTTP/1.1 " + status + " " + Responses.reason(status) + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Cache-Control: no-store\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n" + body;
        ByteBuf b = ch.alloc().buffer(text.length());
        b.writeCharSequence(text, StandardCharsets.US_ASCII);
        ch.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
    }
}
