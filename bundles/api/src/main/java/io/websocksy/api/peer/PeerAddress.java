package io.websocksy.api.peer;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a bridge connects: a transport plus either a host and port ({@code tcp}, {@code udp}) or a
 * filesystem path ({@code unix}, {@code unix-dgram}). Immutable.
 *
 * <p>Accepted forms: {@code tcp://host:port}, {@code udp://host:port}, {@code tcp://[::1]:9000}
 * (IPv6 literals in brackets), {@code unix:///run/x.sock} or {@code unix:/run/x.sock},
 * {@code unix-dgram:///run/x.sock}. An address with no scheme is taken as tcp and
 * {@link #schemeDefaulted()} reports it, so the caller can warn as the C original did. The port may
 * be missing ({@link #port()} is then {@link #NO_PORT}); {@link #withDefaultPort(int)} supplies one,
 * and a tcp/udp address still without a port cannot be connected to.
 */
public final class PeerAddress {
    /** Value of {@link #port()} when the address names no port. */
    public static final int NO_PORT = -1;
    /** Linux limit for a unix socket path in {@code sockaddr_un}, excluding the terminating NUL. */
    public static final int MAX_UNIX_PATH = 107;

    private final Transport transport;
    private final String host;
    private final int port;
    private final String path;
    private final boolean schemeDefaulted;

    private PeerAddress(Transport transport, String host, int port, String path, boolean schemeDefaulted) {
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.path = path;
        this.schemeDefaulted = schemeDefaulted;
    }

    /**
     * Parses an address.
     *
     * @param text the address as written by a user or backend
     * @return the parsed address
     * @throws InvalidPeerAddressException when the text is not a usable address
     */
    public static PeerAddress parse(String text) {
        if (text == null) {
            throw new InvalidPeerAddressException("null", "no address given");
        }
        String s = stripBlanks(text);
        if (s.isEmpty()) {
            throw new InvalidPeerAddressException(text, "empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidPeerAddressException(text, "control character in address");
            }
        }
        int sep = s.indexOf("://");
        Transport transport;
        String rest;
        boolean defaulted = false;
        if (sep >= 0) {
            String scheme = s.substring(0, sep);
            transport = Transport.forScheme(scheme);
            if (transport == null) {
                throw new InvalidPeerAddressException(text, "unknown scheme '" + scheme
                        + "' (expected tcp, udp, unix or unix-dgram)");
            }
            rest = s.substring(sep + 3);
        } else {
            int colon = s.indexOf(':');
            Transport t = colon > 0 ? Transport.forScheme(s.substring(0, colon)) : null;
            if (t != null && !t.isUnix()) {
                throw new InvalidPeerAddressException(text, "write " + t.scheme() + "://host:port");
            }
            if (t != null && t.isUnix()) {
                transport = t;               // unix:/path
                rest = s.substring(colon + 1);
            } else {
                transport = Transport.TCP;   // as the original: no scheme means tcp
                rest = s;
                defaulted = true;
            }
        }
        if (transport.isUnix()) {
            return unix(transport, rest, text, defaulted);
        }
        return inet(transport, rest, text, defaulted);
    }

    /** Drops surrounding spaces, tabs, CRs and LFs (from hand-edited files); other control bytes stay and are rejected. */
    private static String stripBlanks(String t) {
        int a = 0;
        int b = t.length();
        while (a < b && " \t\r\n".indexOf(t.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && " \t\r\n".indexOf(t.charAt(b - 1)) >= 0) {
            b--;
        }
        return t.substring(a, b);
    }

    private static PeerAddress unix(Transport transport, String path, String text, boolean defaulted) {
        if (path.isEmpty()) {
            throw new InvalidPeerAddressException(text, "empty socket path");
        }
        if (path.charAt(0) == '@' || path.indexOf('\0') >= 0) {
            throw new InvalidPeerAddressException(text, "abstract-namespace socket paths are not allowed");
        }
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_UNIX_PATH) {
            throw new InvalidPeerAddressException(text, "socket path longer than " + MAX_UNIX_PATH + " bytes");
        }
        return new PeerAddress(transport, null, NO_PORT, path, defaulted);
    }

    private static PeerAddress inet(Transport transport, String rest, String text, boolean defaulted) {
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            if (slash != rest.length() - 1) {
                throw new InvalidPeerAddressException(text, "a " + transport.scheme() + " address has no path");
            }
            rest = rest.substring(0, slash);
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new InvalidPeerAddressException(text, "unterminated IPv6 literal");
            }
            host = rest.substring(1, close);
            if (host.isEmpty() || host.indexOf(':') < 0) {
                throw new InvalidPeerAddressException(text, "bad IPv6 literal '" + host + "'");
            }
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    throw new InvalidPeerAddressException(text, "unexpected text after IPv6 literal");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && rest.indexOf(':') != colon) {
                throw new InvalidPeerAddressException(text, "IPv6 literals must be written in brackets, e.g. [::1]:5900");
            }
            if (colon >= 0) {
                host = rest.substring(0, colon);
                portText = rest.substring(colon + 1);
            } else {
                host = rest;
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
                    throw new InvalidPeerAddressException(text, "invalid character '" + c + "' in host name");
                }
            }
        }
        if (host.isEmpty()) {
            throw new InvalidPeerAddressException(text, "empty host");
        }
        int port = NO_PORT;
        if (portText != null) {
            port = parsePort(portText, text);
        }
        return new PeerAddress(transport, host, port, null, defaulted);
    }

    /**
     * Parses a port number, 1 to 65535.
     *
     * @param portText decimal digits
     * @param context the text to name in the error message
     * @return the port
     * @throws InvalidPeerAddressException when it is not a port number
     */
    public static int parsePort(String portText, String context) {
        String p = portText.trim();
        if (p.isEmpty() || p.length() > 5) {
            throw new InvalidPeerAddressException(context, "bad port '" + portText + "'");
        }
        int port = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidPeerAddressException(context, "bad port '" + portText + "'");
            }
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65535) {
            throw new InvalidPeerAddressException(context, "port " + port + " out of range 1-65535");
        }
        return port;
    }

    /**
     * @param port a port, 1 to 65535
     * @return this address with its port replaced (the "separate port setting overrides" rule)
     */
    public PeerAddress withPort(int port) {
        if (transport.isUnix()) {
            return this;
        }
        if (port < 1 || port > 65535) {
            throw new InvalidPeerAddressException(toString(), "port " + port + " out of range 1-65535");
        }
        return new PeerAddress(transport, host, port, null, schemeDefaulted);
    }

    /**
     * @param port the port to use when the address names none
     * @return this address, with {@code port} filled in when it had no port
     */
    public PeerAddress withDefaultPort(int port) {
        return hasPort() || transport.isUnix() ? this : withPort(port);
    }

    /** @return the transport */
    public Transport transport() {
        return transport;
    }

    /** @return host name or IP literal (without brackets); null for unix transports */
    public String host() {
        return host;
    }

    /** @return the port, or {@link #NO_PORT}; always {@link #NO_PORT} for unix transports */
    public int port() {
        return port;
    }

    /** @return true when a port is known (tcp/udp) */
    public boolean hasPort() {
        return port != NO_PORT;
    }

    /** @return the socket path; null for tcp and udp */
    public String path() {
        return path;
    }

    /** @return true when the text had no scheme and tcp was assumed */
    public boolean schemeDefaulted() {
        return schemeDefaulted;
    }

    /** @return true when the address can be connected to as it is (unix, or tcp/udp with a port) */
    public boolean isComplete() {
        return transport.isUnix() || hasPort();
    }

    @Override
    public String toString() {
        if (transport.isUnix()) {
            return transport.scheme() + "://" + path;
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return transport.scheme() + "://" + h + (hasPort() ? ":" + port : "");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PeerAddress)) {
            return false;
        }
        PeerAddress a = (PeerAddress) o;
        return transport == a.transport && port == a.port
                && Objects.equals(host == null ? null : host.toLowerCase(Locale.ROOT),
                        a.host == null ? null : a.host.toLowerCase(Locale.ROOT))
                && Objects.equals(path, a.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transport, host == null ? null : host.toLowerCase(Locale.ROOT), port, path);
    }
}
