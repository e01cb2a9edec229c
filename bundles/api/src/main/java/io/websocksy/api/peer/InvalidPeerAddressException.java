package io.websocksy.api.peer;

/** A peer address that cannot be used: unknown scheme, bad port, empty host or path, and so on. */
public class InvalidPeerAddressException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param address the text that was given
     * @param problem what is wrong with it
     */
    public InvalidPeerAddressException(String address, String problem) {
        super("invalid peer address '" + address + "': " + problem);
    }
}
