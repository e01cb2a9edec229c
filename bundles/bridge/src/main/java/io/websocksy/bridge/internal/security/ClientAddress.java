package io.websocksy.bridge.internal.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.websocksy.bridge.internal.http.HttpHead;

/**
 * The real client address of a connection (docs/behaviour.md#security): the TCP peer, or the source a trusted proxy
 * reported in a PROXY protocol header, then walked back through {@code Forwarded} /
 * {@code X-Forwarded-For} while each hop is a trusted proxy. This is the address backends
 * ({@code HandshakeRequest.remoteAddress()}), limits and logs see.
 */
public final class ClientAddress {
    /** The address a PROXY header or forwarding header gave, set on the client channel. */
    public static final AttributeKey<InetSocketAddress> REAL = AttributeKey.valueOf("websocksy.client.real");

    private ClientAddress() {
    }

    /** @return the real client address of {@code ch}: the one set by PROXY/forwarding headers, else the TCP peer */
    public static InetSocketAddress of(Channel ch) {
        InetSocketAddress real = ch.attr(REAL).get();
        if (real != null) {
            return real;
        }
        SocketAddress a = ch.remoteAddress();
        return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    }

    /** @return {@code ip:port}, IPv6 in brackets, without a host name (never a reverse look-up) */
    public static String format(InetSocketAddress a) {
        if (a == null) {
            return "-";
        }
        if (a.getAddress() == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        String ip = IpRange.format(a.getAddress());
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    /** The listener's {@code trusted-proxies}: IPs and CIDR ranges. Immutable. */
    public static final class TrustedProxies {
        static final TrustedProxies NONE = new TrustedProxies(List.of());
        private final List<IpRange> ranges;

        private TrustedProxies(List<IpRange> ranges) {
            this.ranges = ranges;
        }

        /**
         * @param raw String (comma separated), String[] or Collection; null = none
         * @return the list
         * @throws IllegalArgumentException naming the bad entry
         */
        public static TrustedProxies parse(Object raw) {
            List<IpRange> out = new ArrayList<>();
            for (String e : entries(raw)) {
                out.add(IpRange.parse(e));
            }
            return new TrustedProxies(Collections.unmodifiableList(out));
        }

        public boolean isEmpty() {
            return ranges.isEmpty();
        }

        public boolean trusts(InetAddress a) {
            for (IpRange r : ranges) {
                if (r.contains(a)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return ranges.isEmpty() ? "none" : ranges.toString().replace(" ", "");
        }
    }

    /** Splits a configured list: String (comma separated), String[] or Collection; blanks dropped. */
    static List<String> entries(Object raw) {
        List<String> parts = new ArrayList<>();
        if (raw instanceof String[]) {
            for (String s : (String[]) raw) {
                split(s, parts);
            }
        } else if (raw instanceof Collection) {
            for (Object o : (Collection<?>) raw) {
                split(String.valueOf(o), parts);
            }
        } else if (raw != null) {
            split(raw.toString(), parts);
        }
        return parts;
    }

    private static void split(String s, List<String> into) {
        if (s == null) {
            return;
        }
        for (String t : s.split(",")) {
            String v = t.trim();
            if (!v.isEmpty()) {
                into.add(v);
            }
        }
    }

    /**
     * Walks the forwarding headers from the right while the current hop is trusted. {@code Forwarded}
     * (RFC 7239, its {@code for=} parameters) is used when present, else {@code X-Forwarded-For}. A
     * hop that is not an IP literal ({@code unknown}, an obfuscated {@code _name}, garbage) stops the
     * walk at the last trusted hop: the proxy address is kept rather than a value nobody vouches for.
     *
     * @param start the TCP peer or the PROXY header's source
     * @param head the request head
     * @param trusted the trusted proxies
     * @return the real client address
     */
    public static InetSocketAddress fromHeaders(InetSocketAddress start, HttpHead head, TrustedProxies trusted) {
        if (start == null || trusted.isEmpty() || !trusted.trusts(start.getAddress())) {
            return start;
        }
        List<String> forwarded = head.all("forwarded");
        List<String> hops = !forwarded.isEmpty() ? forwardedFor(forwarded) : xForwardedFor(head.all("x-forwarded-for"));
        InetSocketAddress current = start;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetSocketAddress hop = parseHop(hops.get(i));
            if (hop == null) {
                return current;
            }
            current = hop;
            if (!trusted.trusts(hop.getAddress())) {
                return hop;
            }
        }
        return current;
    }

    /** @return the comma separated hops of every {@code X-Forwarded-For} header, in order */
    static List<String> xForwardedFor(List<String> headers) {
        List<String> out = new ArrayList<>();
        for (String h : headers) {
            for (String p : h.split(",")) {
                out.add(p.trim());
            }
        }
        return out;
    }

    /** @return the {@code for=} value of each element of every {@code Forwarded} header (RFC 7239), in order */
    static List<String> forwardedFor(List<String> headers) {
        List<String> out = new ArrayList<>();
        for (String h : headers) {
            // elements are separated by ',' and pairs by ';' outside quoted strings
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            List<String> elements = new ArrayList<>();
            for (int i = 0; i < h.length(); i++) {
                char c = h.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == '\\' && quoted && i + 1 < h.length()) {
                    cur.append(h.charAt(++i));
                    continue;
                } else if (c == ',' && !quoted) {
                    elements.add(cur.toString());
                    cur.setLength(0);
                    continue;
                }
                cur.append(c);
            }
            elements.add(cur.toString());
            for (String el : elements) {
                String value = "";
                for (String pair : el.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                        value = pair.substring(eq + 1).trim();
                        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                            value = value.substring(1, value.length() - 1);
                        }
                    }
                }
                out.add(value);
            }
        }
        return out;
    }

    /**
     * @param hop {@code 1.2.3.4}, {@code 1.2.3.4:80}, {@code 2001:db8::1}, {@code [2001:db8::1]} or
     *     {@code [2001:db8::1]:80}
     * @return the address (port 0 when none was given), or null when it is not an IP literal
     */
    static InetSocketAddress parseHop(String hop) {
        String h = hop.trim();
        String ip = h;
        int port = 0;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return null;
            }
            ip = h.substring(1, end);
            String rest = h.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = port(rest.substring(1));
            }
        } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            ip = h.substring(0, h.indexOf(':'));
            port = port(h.substring(h.indexOf(':') + 1));
        }
        if (port < 0) {
            return null;
        }
        byte[] b = IpRange.literal(ip);
        if (b == null) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** @return the port, 0 for an obfuscated port ({@code _x}), -1 when malformed */
    private static int port(String s) {
        if (s.startsWith("_")) {
            return 0;
        }
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : -1;
    }
}
