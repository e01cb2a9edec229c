package io.websocksy.backend.redis.internal;

import java.util.Map;
import java.util.Set;

import io.websocksy.api.peer.PeerAddress;
import io.websocksy.api.token.TokenRoutes;

/**
 * A token's value in Redis: websockify's {@code {"host":"127.0.0.1:5900"}}, a plain {@code host:port}
 * (or full peer address), or {@code {"peer":"unix:///run/vnc.sock","framing":"newline",
 * "framing-config":"lf","protocol":"mqtt"}}. Members not named fall back to the backend's settings.
 */
final class RouteValue {
    private static final Set<String> KNOWN = Set.of("host", "port", "peer", "framing", "framing-config", "protocol");

    final PeerAddress peer;
    final String framing;
    final String framingConfig;
    final String protocol;

    private RouteValue(PeerAddress peer, String framing, String framingConfig, String protocol) {
        this.peer = peer;
        this.framing = framing;
        this.framingConfig = framingConfig;
        this.protocol = protocol;
    }

    /**
     * @param value the stored value
     * @return the route it names
     * @throws IllegalArgumentException naming what is wrong (never containing the value's secrets: values
     *     hold addresses only)
     */
    static RouteValue parse(String value) {
        String v = value.strip();
        if (!v.startsWith("{")) {
            return new RouteValue(TokenRoutes.target(v), null, null, null);
        }
        Map<String, String> m = FlatJson.parse(v);
        for (String k : m.keySet()) {
            if (!KNOWN.contains(k)) {
                throw new IllegalArgumentException("unknown member '" + k + "' (known: " + KNOWN + ")");
            }
        }
        String target;
        if (m.get("peer") != null) {
            target = m.get("peer");
        } else if (m.get("host") != null) {
            target = m.get("host");
            if (m.get("port") != null) {
                String h = target.indexOf(':') >= 0 && !target.startsWith("[") ? "[" + target + "]" : target;
                target = h + ":" + m.get("port");
            }
        } else {
            throw new IllegalArgumentException("neither 'peer' nor 'host'");
        }
        return new RouteValue(TokenRoutes.target(target), m.get("framing"), m.get("framing-config"), m.get("protocol"));
    }
}
