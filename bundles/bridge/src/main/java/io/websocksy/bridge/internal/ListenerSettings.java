package io.websocksy.bridge.internal;

import java.util.Map;

/** The validated settings of one listener (SPEC 6 and 9). Immutable. */
final class ListenerSettings {
    final String pid;
    final String name;
    final String listen;
    final int port;
    final int ping;
    final String backend;
    final int handshakeTimeout;
    final int maxRequestLine;
    final int maxHeaderSize;
    final int maxHeaders;
    final int maxFrameSize;
    final int maxMessageSize;
    final int connectTimeout;
    final int writeTimeout;
    final int maxSubprotocols;

    ListenerSettings(Map<String, Object> props) {
        Settings s = new Settings(Listener.PID, props);
        pid = s.pid();
        int tilde = pid.indexOf('~');
        name = tilde >= 0 ? pid.substring(tilde + 1) : pid;
        listen = s.string("listen", "::");
        if (listen.isEmpty()) {
            throw s.bad("listen", listen, "empty address");
        }
        port = s.integer("port", 8001, 0, 65535);
        ping = s.integer("ping", 30, 0, 86400);
        backend = s.string("backend", "main");
        if (backend.isEmpty()) {
            throw s.bad("backend", backend, "empty backend name");
        }
        handshakeTimeout = s.integer("handshake-timeout", 10, 1, 3600);
        maxRequestLine = s.integer("max-request-line", 4096, 64, 1 << 20);
        maxHeaderSize = s.integer("max-header-size", 8192, 256, 1 << 20);
        maxHeaders = s.integer("max-headers", 100, 8, 10_000);
        maxFrameSize = s.integer("max-frame-size", 1 << 20, 125, Integer.MAX_VALUE);
        maxMessageSize = s.integer("max-message-size", 1 << 20, 1024, Integer.MAX_VALUE);
        connectTimeout = s.integer("connect-timeout", 10, 1, 3600);
        writeTimeout = s.integer("write-timeout", 60, 1, 86400);
        maxSubprotocols = s.integer("max-subprotocols", 32, 1, 1024);
    }

    boolean sameAddress(ListenerSettings o) {
        return o != null && listen.equals(o.listen) && port == o.port;
    }

    @Override
    public String toString() {
        return "listen=" + listen + " port=" + port + " ping=" + ping + " backend=" + backend
                + " handshake-timeout=" + handshakeTimeout + " max-request-line=" + maxRequestLine
                + " max-header-size=" + maxHeaderSize + " max-headers=" + maxHeaders
                + " max-frame-size=" + maxFrameSize + " max-message-size=" + maxMessageSize
                + " connect-timeout=" + connectTimeout + " write-timeout=" + writeTimeout;
    }
}
