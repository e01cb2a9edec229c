package io.websocksy.bridge.internal.relay;

/**
 * Which close status codes may appear on the wire (RFC 6455 7.4). Netty's
 * {@code WebSocketCloseStatus.isValidStatusCode} accepts every code from 3000 up, so a client's 5000 or
 * 65535 would be echoed and the server would send an invalid code itself.
 */
public final class CloseCodes {
    private CloseCodes() {
    }

    /**
     * @return true for 1000-1003, 1007-1014 (1012-1014 are registered with IANA) and 3000-4999; false for
     *     0-999, 1004 (reserved), 1005, 1006 and 1015 (never sent), 1016-2999 (reserved for the protocol)
     *     and 5000 and above (outside every range RFC 6455 defines)
     */
    public static boolean validOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
