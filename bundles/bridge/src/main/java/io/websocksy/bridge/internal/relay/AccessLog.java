package io.websocksy.bridge.internal.relay;

import java.time.Instant;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.bridge.internal.config.AccessLogFormat;
import io.websocksy.bridge.internal.security.ClientAddress;






/**
 * The access log (docs/behaviour.md#security): with {@code access-log = true}, one line per upgraded connection when it
 * closes, on the logger {@value #LOGGER} at INFO, so it can be routed to its own file. It then
 * replaces the {@code io.websocksy.connection} close line (which drops to DEBUG); the open line
 * stays. Fields: open time (UTC), connection id, listener, real client address, path (no query: it
 * may carry tokens), subprotocol, peer, framer, bytes and messages each way, duration, close code and
 * reason. {@code access-log-format = text} gives a space separated line with {@code "}-quoted,
 * escaped strings; {@code json} one JSON object per line.
 */
public final class AccessLog {
    public static final String LOGGER = "io.websocksy.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** What one line records. */
    static final class Entry {
        long openedAt;
        long id;
        String listener;
        String client;
        String path;
        String subprotocol;
        String peer;
        String framer;
        long bytesUp;
        long messagesUp;
        long bytesDown;
        long messagesDown;
        long durationMillis;
        int code;
        String reason;
    }

    private AccessLog() {
    }

    /** Writes the line of a connection that just closed. */
    static void closed(AccessLogFormat f, Connection c, int code, String reason) {
        Entry e = new Entry();
        e.openedAt = c.stats().openedAt();
        e.id = c.id();
        e.listener = c.listener();
        e.client = ClientAddress.format(c.clientAddress());
        e.path = c.path();
        e.subprotocol = c.route().subprotocol().orElse(null);
        e.peer = c.route().peer().toString();
        e.framer = c.framer();
        e.bytesUp = c.stats().bytesToPeer();
        e.messagesUp = c.stats().messagesToPeer();
        e.bytesDown = c.stats().bytesToClient();
        e.messagesDown = c.stats().messagesToClient();
        e.durationMillis = System.currentTimeMillis() - e.openedAt;
        e.code = code;
        e.reason = reason;
        if (LOG.isInfoEnabled()) {
            LOG.info(format(f, e));
        }
    }

    static String format(AccessLogFormat f, Entry e) {
        return f == AccessLogFormat.JSON ? json(e) : text(e);
    }

    static String text(Entry e) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(Instant.ofEpochMilli(e.openedAt)).append(" #").append(e.id).append(' ');
        quoted(sb, e.listener).append(' ').append(e.client).append(' ');
        quoted(sb, e.path).append(" subprotocol=");
        quoted(sb, e.subprotocol == null ? "-" : e.subprotocol).append(" peer=");
        quoted(sb, e.peer).append(" framer=");
        quoted(sb, e.framer).append(" up=").append(e.bytesUp).append("B/").append(e.messagesUp).append("msg")
                .append(" down=").append(e.bytesDown).append("B/").append(e.messagesDown).append("msg ")
                .append(e.durationMillis).append("ms code=").append(e.code).append(" reason=");
        quoted(sb, e.reason == null || e.reason.isEmpty() ? "-" : e.reason);
        return sb.toString();
    }

    static String json(Entry e) {
        StringBuilder sb = new StringBuilder(320);
        sb.append("{\"time\":");
        jsonString(sb, Instant.ofEpochMilli(e.openedAt).toString());
        sb.append(",\"id\":").append(e.id).append(",\"listener\":");
        jsonString(sb, e.listener);
        sb.append(",\"client\":");
        jsonString(sb, e.client);
        sb.append(",\"path\":");
        jsonString(sb, e.path);
        sb.append(",\"subprotocol\":");
        jsonString(sb, e.subprotocol);
        sb.append(",\"peer\":");
        jsonString(sb, e.peer);
        sb.append(",\"framer\":");
        jsonString(sb, e.framer);
        sb.append(",\"bytes_up\":").append(e.bytesUp).append(",\"messages_up\":").append(e.messagesUp)
                .append(",\"bytes_down\":").append(e.bytesDown).append(",\"messages_down\":").append(e.messagesDown)
                .append(",\"duration_ms\":").append(e.durationMillis).append(",\"close_code\":").append(e.code)
                .append(",\"close_reason\":");
        jsonString(sb, e.reason == null ? "" : e.reason);
        return sb.append('}').toString();
    }

    /** Appends {@code s} in double quotes; quote, backslash and control characters escaped (no log injection). */
    private static StringBuilder quoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }

    /** Appends a JSON string (RFC 8259 escaping), or {@code null}. */
    static void jsonString(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
