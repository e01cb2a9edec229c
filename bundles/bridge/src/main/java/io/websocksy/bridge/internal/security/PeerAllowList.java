package io.websocksy.bridge.internal.security;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.websocksy.api.peer.PeerAddress;

/**
 * The listener's {@code allowed-peers} (docs/behaviour.md#security, docs/conformance.md R9): where routes may connect. Empty
 * allows every peer. Entries, comma separated:
 * <ul>
 * <li>{@code 10.1.2.3:5900}, {@code 10.0.0.0/8:5900-5999}, {@code [2001:db8::/32]:443},
 * {@code [::1]}, {@code 192.168.0.0/16} - an IP or CIDR range and a port, a port range
 * {@code lo-hi} or {@code *}; without port any port. Matched against the <b>resolved</b> address
 * (IPv4-mapped IPv6 compared as IPv4);</li>
 * <li>{@code vnc.internal:5900}, {@code *.internal:5900-5999} - a host name (or one or more labels in
 * front of a domain), matched against the name the route asked for (case-insensitive, a trailing
 * dot ignored); the operator vouches for whatever that name resolves to;</li>
 * <li>{@code unix:/run/websocksy/} - a directory: unix peers whose real path (symbolic links
 * resolved) lies inside it;</li>
 * <li>a {@code tcp://} or {@code udp://} prefix limits an IP or name entry to that transport.</li>
 * </ul>
 * The bridge resolves a name once, checks the resulting address and connects to that same address.
 */
public final class PeerAllowList {
    static final PeerAllowList ANY = new PeerAllowList(List.of(), "any");

    private final List<Entry> entries;
    private final String text;

    private PeerAllowList(List<Entry> entries, String text) {
        this.entries = entries;
        this.text = text;
    }

    /**
     * @param raw String (comma separated), String[] or Collection; null = empty
     * @return the list
     * @throws IllegalArgumentException naming the bad entry
     */
    public static PeerAllowList parse(Object raw) {
        List<String> parts = ClientAddress.entries(raw);
        if (parts.isEmpty()) {
            return ANY;
        }
        List<Entry> out = new ArrayList<>();
        for (String p : parts) {
            out.add(Entry.parse(p));
        }
        return new PeerAllowList(Collections.unmodifiableList(out), String.join(",", parts));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * @param transport TCP or UDP
     * @param requestedHost the host the route named (a name or a literal)
     * @param resolved the address it resolved to, the one that will be connected
     * @return null when allowed, else why not
     */
    public String checkInet(io.websocksy.api.peer.Transport transport, String requestedHost, InetSocketAddress resolved) {
        if (entries.isEmpty()) {
            return null;
        }
        String name = normaliseName(requestedHost);
        for (Entry e : entries) {
            if (e.matches(transport, name, resolved)) {
                return null;
            }
        }
        String shown = ClientAddress.format(resolved);
        return transport.name().toLowerCase(Locale.ROOT) + " " + requestedHost + ":" + resolved.getPort()
                + (IpRange.literal(stripBrackets(requestedHost)) != null ? "" : " (resolved to " + shown + ")")
                + " is not in allowed-peers";
    }

    /**
     * @param realPath the peer socket's real path
     * @return null when allowed, else why not
     */
    public String checkUnix(Path realPath) {
        if (entries.isEmpty()) {
            return null;
        }
        for (Entry e : entries) {
            if (e.dir != null && realPath.startsWith(e.dir) && !realPath.equals(e.dir)) {
                return null;
            }
        }
        return "unix socket " + realPath + " is not in an allowed-peers directory";
    }

    /**
     * Resolves symbolic links and {@code ..} of a unix peer path so that the check and the connect use
     * the same file. A path that does not exist (yet) is normalised only; connecting to it fails.
     */
    public static Path realPath(String path) {
        Path p = Paths.get(path).toAbsolutePath().normalize();
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException e) {
            return p;
        }
    }

    static String normaliseName(String host) {
        String h = stripBrackets(host).toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    @Override
    public String toString() {
        return text;
    }

    /** One allow-list entry. */
    private static final class Entry {
        io.websocksy.api.peer.Transport only;     // null: tcp and udp
        IpRange range;                  // IP/CIDR entry
        String name;                    // host name entry (normalised), or ".domain" for *.domain
        Path dir;                       // unix directory entry
        int lo = 0;
        int hi = 65535;

        public static Entry parse(String raw) {
            Entry e = new Entry();
            String s = raw.trim();
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.startsWith("unix:")) {
                String path = s.substring(5);
                if (path.startsWith("//")) {
                    path = path.substring(2);
                }
                if (!path.startsWith("/")) {
                    throw bad(raw, "a unix entry is unix:/absolute/directory");
                }
                try {
                    e.dir = realPath(path);
                } catch (InvalidPathException x) {
                    throw bad(raw, x.getMessage());
                }
                return e;
            }
            if (lower.startsWith("tcp://")) {
                e.only = io.websocksy.api.peer.Transport.TCP;
                s = s.substring(6);
            } else if (lower.startsWith("udp://")) {
                e.only = io.websocksy.api.peer.Transport.UDP;
                s = s.substring(6);
            } else if (lower.contains("://")) {
                throw bad(raw, "only tcp://, udp:// and unix: prefixes are known");
            }
            String host;
            String ports = null;
            if (s.startsWith("[")) {
                int end = s.indexOf(']');
                if (end < 0) {
                    throw bad(raw, "missing ']'");
                }
                host = s.substring(1, end);
                String rest = s.substring(end + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw bad(raw, "expected ':port' after ']'");
                    }
                    ports = rest.substring(1);
                }
            } else if (s.indexOf(':') != s.lastIndexOf(':')) {
                host = s;                                   // bare IPv6 (range), any port
            } else if (s.indexOf(':') >= 0) {
                host = s.substring(0, s.indexOf(':'));
                ports = s.substring(s.indexOf(':') + 1);
            } else {
                host = s;
            }
            if (host.isEmpty()) {
                throw bad(raw, "empty host");
            }
            if (ports != null) {
                e.ports(raw, ports);
            }
            if (IpRange.literal(host.contains("/") ? host.substring(0, host.indexOf('/')) : host) != null) {
                try {
                    e.range = IpRange.parse(host);
                } catch (IllegalArgumentException x) {
                    throw bad(raw, x.getMessage());
                }
                return e;
            }
            String n = normaliseName(host);
            boolean wildcard = n.startsWith("*.");
            String labels = wildcard ? n.substring(2) : n;
            if (labels.isEmpty() || !labels.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")) {
                throw bad(raw, "'" + host + "' is neither an IP address, a CIDR range nor a host name");
            }
            e.name = wildcard ? "." + labels : labels;
            return e;
        }

        private void ports(String raw, String p) {
            if (p.equals("*")) {
                return;
            }
            int dash = p.indexOf('-');
            try {
                lo = PeerAddress.parsePort(dash < 0 ? p : p.substring(0, dash), raw);
                hi = dash < 0 ? lo : PeerAddress.parsePort(p.substring(dash + 1), raw);
            } catch (IllegalArgumentException x) {
                throw bad(raw, "bad port or port range '" + p + "'");
            }
            if (lo > hi || lo < 1) {
                throw bad(raw, "bad port range '" + p + "'");
            }
        }

        boolean matches(io.websocksy.api.peer.Transport t, String requestedName, InetSocketAddress resolved) {
            if (dir != null || only != null && only != t) {
                return false;
            }
            int port = resolved.getPort();
            if (port < lo || port > hi) {
                return false;
            }
            if (range != null) {
                return range.contains(resolved.getAddress());
            }
            if (name.startsWith(".")) {
                return requestedName.endsWith(name) && requestedName.length() > name.length();
            }
            return name.equals(requestedName);
        }

        private static IllegalArgumentException bad(String raw, String why) {
            return new IllegalArgumentException("allowed peer '" + raw + "': " + why);
        }
    }
}
