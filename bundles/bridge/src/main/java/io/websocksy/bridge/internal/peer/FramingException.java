package io.websocksy.bridge.internal.peer;

/** A framing failure and the close code it maps to (1009 buffer full, 1011 framer bug). */
public final class FramingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    FramingException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}
