package io.websocksy.bridge.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.websocksy.bridge.internal.config.AccessLogFormat;





/** Access log lines: text quoting and JSON escaping. */
class AccessLogTest {
    private static AccessLog.Entry entry() {
        AccessLog.Entry e = new AccessLog.Entry();
        e.openedAt = 0;
        e.id = 7;
        e.listener = "main";
        e.client = "[2001:db8::1]:5000";
        e.path = "/vnc/\"a\"";
        e.subprotocol = null;
        e.peer = "tcp://127.0.0.1:5900";
        e.framer = "auto";
        e.bytesUp = 10;
        e.messagesUp = 1;
        e.bytesDown = 20;
        e.messagesDown = 2;
        e.durationMillis = 1234;
        e.code = 1000;
        e.reason = "bye\nnext \u0001 line\u2028";
        return e;
    }

    @Test
    void text() {
        assertEquals("1970-01-01T00:00:00Z #7 \"main\" [2001:db8::1]:5000 \"/vnc/\\\"a\\\"\" subprotocol=\"-\" "
                + "peer=\"tcp://127.0.0.1:5900\" framer=\"auto\" up=10B/1msg down=20B/2msg 1234ms code=1000 "
                + "reason=\"bye\\x0anext \\x01 line\u2028\"", AccessLog.format(AccessLogFormat.TEXT, entry()));
    }

    @Test
    void json() {
        assertEquals("{\"time\":\"1970-01-01T00:00:00Z\",\"id\":7,\"listener\":\"main\",\"client\":\"[2001:db8::1]:5000\","
                + "\"path\":\"/vnc/\\\"a\\\"\",\"subprotocol\":null,\"peer\":\"tcp://127.0.0.1:5900\",\"framer\":\"auto\","
                + "\"bytes_up\":10,\"messages_up\":1,\"bytes_down\":20,\"messages_down\":2,\"duration_ms\":1234,"
                + "\"close_code\":1000,\"close_reason\":\"bye\\nnext \\u0001 line\\u2028\"}",
                AccessLog.format(AccessLogFormat.JSON, entry()));
        assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.parse("xml"));
    }
}
