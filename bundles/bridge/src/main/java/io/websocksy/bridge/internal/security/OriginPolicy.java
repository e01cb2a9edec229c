package io.websocksy.bridge.internal.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The listener's {@code allowed-origins} (docs/behaviour.md#security, docs/conformance.md H13): an empty list allows every
 * origin. An entry is either a full origin {@code scheme://host[:port]}, compared exactly (case
 * insensitive, default ports implied), or a host pattern without scheme ({@code example.com},
 * {@code *.example.com}) that matches that host under any scheme and port; a leading {@code *.}
 * matches one or more labels in front of the domain, never the bare domain. {@code *} alone allows
 * any origin, including {@code null}.
 */
public final class OriginPolicy {
    static final OriginPolicy ANY = new OriginPolicy(List.of(), true);

    private final List<String> entries;
    private final boolean allowMissing;
    /** {@code same-origin}: an Origin whose host and port equal the request's Host header passes too. */
    private final boolean sameOrigin;

    private OriginPolicy(List<String> entries, boolean allowMissing) {
        this(entries, allowMissing, false);
    }

    private OriginPolicy(List<String> entries, boolean allowMissing, boolean sameOrigin) {
        this.entries = entries;
        this.allowMissing = allowMissing;
        this.sameOrigin = sameOrigin;
    }

    /**
     * @param on whether an Origin naming the request's own {@code Host} passes ({@code same-origin});
     *     with it on the policy is active even with an empty list
     * @return this policy with the option set
     */
    public OriginPolicy sameOrigin(boolean on) {
        return on == sameOrigin ? this : new OriginPolicy(entries, allowMissing, on);
    }

    /**
     * @param raw the configured value: a String (comma separated), a String[] or a Collection; null = empty
     * @param allowMissing whether a request without {@code Origin} (a non-browser client) passes
     * @return the policy
     * @throws IllegalArgumentException naming the bad entry
     */
    public static OriginPolicy parse(Object raw, boolean allowMissing) {
        List<String> out = new ArrayList<>();
        for (String p : ClientAddress.entries(raw)) {
            out.add(normalise(p));
        }
        return new OriginPolicy(Collections.unmodifiableList(out), allowMissing);
    }

    private static String normalise(String entry) {
        String e = entry.toLowerCase(Locale.ROOT);
        if (e.equals("*")) {
            return e;
        }
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' && !e.contains("://")) {
                throw new IllegalArgumentException("origin '" + entry + "': expected scheme://host[:port] or a host"
                        + " pattern such as *.example.com");
            }
        }
        int sep = e.indexOf("://");
        if (sep >= 0) {
            String scheme = e.substring(0, sep);
            String rest = e.substring(sep + 3);
            if (scheme.isEmpty() || rest.isEmpty() || rest.contains("/") || rest.contains("*")) {
                throw new IllegalArgumentException("origin '" + entry + "': a full origin is scheme://host[:port]"
                        + " without path or wildcard");
            }
            return withoutDefaultPort(scheme, rest);
        }
        String host = e.startsWith("*.") ? e.substring(2) : e;
        if (host.isEmpty() || host.contains("*") || host.contains(":") && !host.startsWith("[")) {
            throw new IllegalArgumentException("origin '" + entry + "': a host pattern is host or *.domain, without port");
        }
        return e;
    }

    private static String withoutDefaultPort(String scheme, String hostPort) {
        if ((scheme.equals("http") || scheme.equals("ws")) && hostPort.endsWith(":80")
                || (scheme.equals("https") || scheme.equals("wss")) && hostPort.endsWith(":443")) {
            return scheme + "://" + hostPort.substring(0, hostPort.lastIndexOf(':'));
        }
        return scheme + "://" + hostPort;
    }

    /** @return true when every origin passes (no list configured) */
    boolean allowsAny() {
        return entries.isEmpty() && !sameOrigin;
    }

    /**
     * {@link #check(List)} with the {@code same-origin} option: an Origin whose host and port (the
     * scheme's default port when it names none) equal those of {@code host} passes.
     *
     * @param origins every {@code Origin} header value
     * @param host the request's {@code Host} header, or null
     * @return null when allowed, else the reason for the 403
     */
    public String check(List<String> origins, String host) {
        if (sameOrigin && origins.size() == 1 && host != null) {
            String origin = origins.get(0).trim().toLowerCase(Locale.ROOT);
            int sep = origin.indexOf("://");
            if (sep > 0 && !origin.substring(sep + 3).isEmpty() && !origin.substring(sep + 3).contains("/")) {
                String scheme = origin.substring(0, sep);
                String own = withoutDefaultPort(scheme, host.trim().toLowerCase(Locale.ROOT));
                if (withoutDefaultPort(scheme, origin.substring(sep + 3)).equals(own)) {
                    return null;
                }
            }
        }
        if (sameOrigin && entries.isEmpty()) {
            if (origins.isEmpty()) {
                return allowMissing ? null : "no Origin header and allow-missing-origin is false";
            }
            String o = origins.get(0);
            return "Origin '" + (o.length() > 100 ? o.substring(0, 100) + "..." : o) + "' is not the request's own "
                    + "host (same-origin) and allowed-origins is empty";
        }
        String why = check(origins);
        return why != null && sameOrigin ? why + " nor the request's own host (same-origin)" : why;
    }

    /**
     * @param origins every {@code Origin} header value of the request (normally 0 or 1)
     * @return null when allowed, else the reason for the 403
     */
    public String check(List<String> origins) {
        if (entries.isEmpty()) {
            return null;
        }
        if (origins.isEmpty()) {
            return allowMissing ? null : "no Origin header and allow-missing-origin is false";
        }
        if (origins.size() > 1) {
            return "Origin given " + origins.size() + " times";
        }
        String origin = origins.get(0).trim().toLowerCase(Locale.ROOT);
        if (matches(origin)) {
            return null;
        }
        String shown = origin.length() > 100 ? origin.substring(0, 100) + "..." : origin;
        return "Origin '" + shown + "' is not in allowed-origins";
    }

    private boolean matches(String origin) {
        int sep = origin.indexOf("://");
        String scheme = sep > 0 ? origin.substring(0, sep) : null;
        String hostPort = sep > 0 ? origin.substring(sep + 3) : null;
        String full = scheme != null && !hostPort.isEmpty() && !hostPort.contains("/")
                ? withoutDefaultPort(scheme, hostPort) : null;
        String host = full == null ? null : hostOf(hostPort);
        for (String e : entries) {
            if (e.equals("*")) {
                return true;
            }
            if (full == null) {
                continue;                                  // "null" and malformed origins match only "*"
            }
            if (e.contains("://")) {
                if (e.equals(full)) {
                    return true;
                }
            } else if (e.startsWith("*.")) {
                String domain = e.substring(1);            // ".example.com"
                if (host.endsWith(domain) && host.length() > domain.length()) {
                    return true;
                }
            } else if (e.equals(host)) {
                return true;
            }
        }
        return false;
    }

    private static String hostOf(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end > 0 ? hostPort.substring(0, end + 1) : hostPort;
        }
        int colon = hostPort.lastIndexOf(':');
        return colon >= 0 ? hostPort.substring(0, colon) : hostPort;
    }

    @Override
    public String toString() {
        if (entries.isEmpty() && !sameOrigin) {
            return "any";
        }
        return (sameOrigin ? "same-origin" + (entries.isEmpty() ? "" : ",") : "") + String.join(",", entries)
                + (allowMissing ? "" : " (Origin required)");
    }
}
