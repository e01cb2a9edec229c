package io.websocksy.bridge.internal;

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
final class HealthAnswer {
    private HealthAnswer() {
    }

    /** Reads and checks {@code health-path}: empty (off) or an absolute path without query. */
    static String parsePath(Settings s) {
        String p = s.string("health-path", "");
        if (p.isEmpty()) {
            return p;
        }
        if (!p.startsWith("/") || p.indexOf('?') >= 0 || p.indexOf('#') >= 0 || p.indexOf(' ') >= 0) {
            throw s.bad("health-path", p, "expected an absolute path such as /healthz (no query), or empty for off");
        }
        return p;
    }

    /** @return true when {@code head} is a health check of this listener (answer it with {@link #answer}) */
    static boolean matches(HttpHead head, ListenerSettings s) {
        if (s.healthPath.isEmpty() || !"GET".equals(head.method) || head.first("Upgrade") != null) {
            return false;
        }
        String t = head.target;
        int q = t.indexOf('?');
        return (q < 0 ? t : t.substring(0, q)).equals(s.healthPath);
    }

    /**
     * Writes {@code 200 ok}, or {@code 503} with the reason ({@code draining}, {@code no backend}), and
     * closes the channel.
     *
     * @param problem null when healthy
     */
    static void answer(Channel ch, String problem) {
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
