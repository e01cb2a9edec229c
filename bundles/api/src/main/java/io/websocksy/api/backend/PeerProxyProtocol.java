package io.websocksy.api.backend;

/**
 * Whether the bridge sends a PROXY protocol header with the client's real address (after
 * {@code trusted-proxies}) to a stream peer before any data, so the peer logs and limits by the real
 * client. Only for {@code tcp://} and {@code unix://} peers.
 */
public enum PeerProxyProtocol {
    /** No header (the default). */
    OFF,
    /** The text header of PROXY protocol version 1. */
    V1,
    /** The binary header of PROXY protocol version 2. */
    V2;

    /**
     * @param value {@code off}, {@code v1} or {@code v2}, any case; null or blank means {@code off}
     * @return the value
     * @throws IllegalArgumentException for anything else, naming it
     */
    public static PeerProxyProtocol parse(String value) {
        if (value == null || value.isBlank()) {
            return OFF;
        }
        switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "off": return OFF;
            case "v1": return V1;
            case "v2": return V2;
            default: throw new IllegalArgumentException("'" + value + "' is not off, v1 or v2");
        }
    }
}
