package io.websocksy.api.token;

import java.util.List;
import java.util.Locale;

import io.websocksy.api.backend.PeerProxyProtocol;
import io.websocksy.api.backend.Route;
import io.websocksy.api.peer.InvalidPeerAddressException;
import io.websocksy.api.peer.PeerAddress;

/**
 * Turns what a token backend looked up into a {@link Route}, the same way in every such backend.
 */
public final class TokenRoutes {
    /** {@code protocol} value meaning "the first subprotocol the client offered". */
    public static final String ANY_PROTOCOL = "*";

    private TokenRoutes() {
    }

    /**
     * A target as websockify writes it ({@code host:port}, taken as {@code tcp://}) or a full peer address
     * ({@code tcp://}, {@code udp://}, {@code unix://}, {@code unix-dgram://}).
     *
     * @param target the text
     * @return the address, with a port unless it is a unix one
     * @throws IllegalArgumentException naming the problem (no port, bad address)
     */
    public static PeerAddress target(String target) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("empty target");
        }
        PeerAddress a;
        try {
            a = PeerAddress.parse(target.trim());
        } catch (InvalidPeerAddressException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!a.isComplete()) {
            throw new IllegalArgumentException("'" + target.trim() + "' has no port");
        }
        return a;
    }

    /**
     * The subprotocol rule shared with the default backend: null or empty chooses none; {@value #ANY_PROTOCOL}
     * the first offer; a name the offer equal to it (ignoring case, the client's spelling kept), else none.
     *
     * @param rule the rule
     * @param offers the offers that may be chosen ({@link TokenSource#offers})
     * @return the chosen subprotocol, or null
     */
    public static String chooseSubprotocol(String rule, List<String> offers) {
        if (rule == null || rule.isBlank() || offers.isEmpty()) {
            return null;
        }
        String r = rule.trim();
        if (r.equals(ANY_PROTOCOL)) {
            return offers.get(0);
        }
        for (String o : offers) {
            if (o.toLowerCase(Locale.ROOT).equals(r.toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        return null;
    }

    /**
     * @param peer the looked-up peer
     * @param framing framer name, null or blank for {@link Route#DEFAULT_FRAMER}
     * @param framingConfig framer config, null for none
     * @param protocolRule see {@link #chooseSubprotocol}
     * @param offers the offers that may be chosen
     * @param peerProxy PROXY header to the peer; ignored (off) for datagram peers
     * @return a builder, to which a backend may add its {@link Route.Builder#watch watch}
     */
    public static Route.Builder route(PeerAddress peer, String framing, String framingConfig, String protocolRule,
            List<String> offers, PeerProxyProtocol peerProxy) {
        return Route.to(peer).framer(framing).framerConfig(framingConfig)
                .subprotocol(chooseSubprotocol(protocolRule, offers))
                .peerProxyProtocol(peer.transport().isStream() ? peerProxy : PeerProxyProtocol.OFF);
    }
}
