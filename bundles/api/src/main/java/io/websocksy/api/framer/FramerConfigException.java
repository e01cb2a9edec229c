package io.websocksy.api.framer;

/**
 * A framer config string that the framer cannot use. The bridge answers the handshake with HTTP 500
 * and logs the framer's name with this message, so the message should name the problem and the value.
 */
public class FramerConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, e.g. {@code "separator: empty separator"} */
    public FramerConfigException(String message) {
        super(message);
    }
}
