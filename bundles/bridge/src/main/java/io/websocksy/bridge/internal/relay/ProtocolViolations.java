package io.websocksy.bridge.internal.relay;

/**
 * Where the client-side checks ({@link ClientFrameDecoder}, {@link ClientUtf8Check}) report a protocol
 * violation, on the event loop, before they write the close frame and close the channel: so the
 * connection knows the close code before the channel's close future fires.
 */
@FunctionalInterface
public interface ProtocolViolations {
    /** Drops what is reported (a decoder without a connection, as in tests of the decoder alone). */
    ProtocolViolations NONE = (code, reason) -> { };

    /**
     * @param code the close code the client is sent (1002, 1007 or 1009)
     * @param reason the cause, also the close frame's reason
     */
    void protocolViolation(int code, String reason);
}
