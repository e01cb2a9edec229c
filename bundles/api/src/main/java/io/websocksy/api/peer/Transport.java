package io.websocksy.api.peer;

/** The kind of socket a peer is reached over. */
public enum Transport {
    /** A TCP stream: {@code tcp://host:port}. */
    TCP("tcp", true),
    /** UDP datagrams: {@code udp://host:port}. */
    UDP("udp", false),
    /** A Unix-domain stream socket: {@code unix:///path}. */
    UNIX("unix", true),
    /** A Unix-domain datagram socket: {@code unix-dgram:///path}. */
    UNIX_DGRAM("unix-dgram", false);

    private final String scheme;
    private final boolean stream;

    Transport(String scheme, boolean stream) {
        this.scheme = scheme;
        this.stream = stream;
    }

    /** @return the URI scheme users write, e.g. {@code unix-dgram} */
    public String scheme() {
        return scheme;
    }

    /** @return true for byte streams (framed by a framer), false for datagrams (one datagram, one message) */
    public boolean isStream() {
        return stream;
    }

    /** @return true for unix and unix-dgram */
    public boolean isUnix() {
        return this == UNIX || this == UNIX_DGRAM;
    }

    /**
     * @param scheme a scheme such as {@code tcp}, case-insensitive
     * @return the transport, or null when the scheme is unknown
     */
    public static Transport forScheme(String scheme) {
        for (Transport t : values()) {
            if (t.scheme.equalsIgnoreCase(scheme)) {
                return t;
            }
        }
        return null;
    }
}
