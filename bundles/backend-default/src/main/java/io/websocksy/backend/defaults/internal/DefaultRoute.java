package io.websocksy.backend.defaults.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.websocksy.api.backend.HandshakeRequest;
import io.websocksy.api.backend.PeerProxyProtocol;
import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.InvalidPeerAddressException;
import io.websocksy.api.peer.PeerAddress;

/**
 * The validated, immutable settings of one default-backend instance, and the routing rule they imply.
 * Plain Java (no OSGi types) so that it is tested directly; {@link DefaultBackendComponent} swaps whole
 * instances.
 */
final class DefaultRoute {
    static final String DEFAULT_NAME = "main";
    static final String DEFAULT_HOST = "tcp://localhost:5900";
    static final String DEFAULT_FRAMING = "auto";
    /** Port used when neither the address nor the {@code port} key names one (as the C original). */
    static final int DEFAULT_PORT = 5900;
    /** {@code protocol} value meaning "the first subprotocol the client offered". */
    static final String ANY_PROTOCOL = "*";

    private final String name;
    private final PeerAddress peer;
    private final String framing;
    private final String framingConfig;
    private final String protocol; // null: choose none
    private final PeerProxyProtocol peerProxy;
    private final List<String> warnings;

    private DefaultRoute(String name, PeerAddress peer, String framing, String framingConfig, String protocol,
            PeerProxyProtocol peerProxy, List<String> warnings) {
        this.peerProxy = peerProxy;
        this.name = name;
        this.peer = peer;
        this.framing = framing;
        this.framingConfig = framingConfig;
        this.protocol = protocol;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * @param c the component's configuration
     * @return the validated settings
     * @throws IllegalArgumentException naming the key and value of the first bad setting
     */
    static DefaultRoute parse(Config c) {
        return parse(c.name(), c.host(), c.port(), c.framing(), c.framing$_$config(), c.protocol(),
                c.peer$_$proxy$_$protocol());
    }

    /** As {@link #parse(String, String, String, String, String, String, String)} without a PROXY header. */
    static DefaultRoute parse(String name, String host, String port, String framing, String framingConfig,
            String protocol) {
        return parse(name, host, port, framing, framingConfig, protocol, null);
    }

    /**
     * Validates every setting; null stands for "not set" and takes the default.
     *
     * @return the validated settings
     * @throws IllegalArgumentException naming the key and value of the first bad setting
     */
    static DefaultRoute parse(String name, String host, String port, String framing, String framingConfig,
            String protocol, String peerProxyProtocol) {
        List<String> warnings = new ArrayList<>();

        String n = name == null ? DEFAULT_NAME : name.trim();
        if (n.isEmpty()) {
            throw bad("name", name, "must not be empty");
        }

        String h = host == null ? DEFAULT_HOST : host;
        PeerAddress peer;
        try {
            peer = PeerAddress.parse(h);
        } catch (InvalidPeerAddressException e) {
            throw bad("host", host, e.getMessage());
        }
        if (peer.schemeDefaulted()) {
            warnings.add("host = '" + h.trim() + "' has no scheme; using " + peer.transport().scheme() + "://");
        }

        if (port != null && !port.isBlank()) {
            int p;
            try {
                p = PeerAddress.parsePort(port, "port");
            } catch (InvalidPeerAddressException e) {
                throw bad("port", port, "not a port number 1-65535");
            }
            if (peer.transport().isUnix()) {
                warnings.add("port = '" + port.trim() + "' is ignored for the unix address " + peer);
            } else {
                peer = peer.withPort(p);
            }
        } else {
            peer = peer.withDefaultPort(DEFAULT_PORT);
        }

        String f = framing == null ? DEFAULT_FRAMING : framing.trim();
        if (f.isEmpty()) {
            throw bad("framing", framing, "must name a framer (e.g. auto, binary, separator, newline)");
        }

        String fc = framingConfig == null ? "" : framingConfig;

        String proto = protocol == null || protocol.isBlank() ? null : protocol.trim();
        if (proto != null && !ANY_PROTOCOL.equals(proto) && !isToken(proto)) {
            throw bad("protocol", protocol, "not a subprotocol token (RFC 6455), nor '*'");
        }
        PeerProxyProtocol pp;
        try {
            pp = PeerProxyProtocol.parse(peerProxyProtocol);
        } catch (IllegalArgumentException e) {
            throw bad("peer-proxy-protocol", peerProxyProtocol, e.getMessage());
        }
        if (pp != PeerProxyProtocol.OFF && !peer.transport().isStream()) {
            throw bad("peer-proxy-protocol", peerProxyProtocol, "only for tcp:// and unix:// peers, not " + peer);
        }
        return new DefaultRoute(n, peer, f, fc, proto, pp, warnings);
    }

    private static IllegalArgumentException bad(String key, String value, String problem) {
        return new IllegalArgumentException(key + " = '" + value + "': " + problem);
    }

    /** RFC 7230 token characters, which RFC 6455 requires of a subprotocol name. */
    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
            if (!ok) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /**
     * @param request the client's handshake
     * @return the route every connection gets, with the subprotocol chosen from the client's offers
     */
    Route route(HandshakeRequest request) {
        return Route.to(peer).framer(framing).framerConfig(framingConfig)
                .subprotocol(chooseSubprotocol(request.subprotocols())).peerProxyProtocol(peerProxy).build();
    }

    /**
     * The {@code protocol} rule: unset chooses none; {@code *} the first offer; a name the offer equal to it
     * ignoring case, echoed in the client's spelling.
     *
     * @param offered the client's offers, in order
     * @return the chosen subprotocol, or null for none
     */
    String chooseSubprotocol(List<String> offered) {
        if (protocol == null || offered == null || offered.isEmpty()) {
            return null;
        }
        if (ANY_PROTOCOL.equals(protocol)) {
            return offered.get(0);
        }
        for (String o : offered) {
            if (o.equalsIgnoreCase(protocol)) {
                return o;
            }
        }
        return null;
    }

    String name() {
        return name;
    }

    PeerAddress peer() {
        return peer;
    }

    String framing() {
        return framing;
    }

    String framingConfig() {
        return framingConfig;
    }

    /** @return the configured protocol rule, null when unset */
    String protocol() {
        return protocol;
    }

    /** @return things worth a WARN line that are not errors (defaulted scheme, ignored port) */
    List<String> warnings() {
        return warnings;
    }

    /** @return the effective settings, for the activate/modify log line */
    String describe() {
        return "name=" + name + ", peer=" + peer + ", framing=" + framing
                + (framingConfig.isEmpty() ? "" : ", framing-config='" + framingConfig + "'")
                + ", protocol=" + (protocol == null ? "(none)" : protocol)
                + (peerProxy == PeerProxyProtocol.OFF ? "" : ", peer-proxy-protocol=" + peerProxy);
    }

    @Override
    public String toString() {
        return "DefaultRoute[" + describe() + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DefaultRoute)) {
            return false;
        }
        DefaultRoute r = (DefaultRoute) o;
        return name.equals(r.name) && peer.equals(r.peer) && framing.equals(r.framing)
                && framingConfig.equals(r.framingConfig) && Objects.equals(protocol, r.protocol)
                && peerProxy == r.peerProxy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, peer, framing, framingConfig, protocol, peerProxy);
    }
}
