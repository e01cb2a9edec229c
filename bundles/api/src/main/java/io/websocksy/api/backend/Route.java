package io.websocksy.api.backend;

import java.util.Objects;
import java.util.Optional;

import io.websocksy.api.peer.PeerAddress;

/**
 * What a backend answers for one connection: the peer address, the framer (by name) and its config
 * string, and the subprotocol chosen from the client's offers. Immutable; build with
 * {@link #to(PeerAddress)}.
 */
public final class Route {
    /** The framer used when a route names none. */
    public static final String DEFAULT_FRAMER = "auto";

    private final PeerAddress peer;
    private final String framer;
    private final String framerConfig;
    private final String subprotocol;
    private final PeerProxyProtocol peerProxyProtocol;
    private final RouteWatch watch;

    private Route(Builder b) {
        this.peer = b.peer;
        this.framer = b.framer;
        this.framerConfig = b.framerConfig;
        this.subprotocol = b.subprotocol;
        this.peerProxyProtocol = b.peerProxyProtocol;
        this.watch = b.watch;
    }

    /**
     * @param peer where to connect
     * @return a builder with framer {@value #DEFAULT_FRAMER}, empty config and no subprotocol
     */
    public static Builder to(PeerAddress peer) {
        return new Builder(peer);
    }

    /** @return the peer address */
    public PeerAddress peer() {
        return peer;
    }

    /** @return the framer's name */
    public String framer() {
        return framer;
    }

    /** @return the framer's config string, empty when none */
    public String framerConfig() {
        return framerConfig;
    }

    /** @return the chosen subprotocol; must be one the client offered */
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    /**
     * @return whether a PROXY protocol header goes to the peer first ({@link PeerProxyProtocol#OFF} by default)
     * @since 1.1
     */
    public PeerProxyProtocol peerProxyProtocol() {
        return peerProxyProtocol;
    }

    /**
     * @return the backend's watch on the connection, if it wants one
     * @since 1.1
     */
    public Optional<RouteWatch> watch() {
        return Optional.ofNullable(watch);
    }

    @Override
    public String toString() {
        return "Route[" + peer + ", framer=" + framer + (framerConfig.isEmpty() ? "" : " '" + framerConfig + "'")
                + ", subprotocol=" + (subprotocol == null ? "-" : subprotocol)
                + (peerProxyProtocol == PeerProxyProtocol.OFF ? "" : ", peer-proxy-protocol=" + peerProxyProtocol)
                + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Route)) {
            return false;
        }
        Route r = (Route) o;
        return peer.equals(r.peer) && framer.equals(r.framer) && framerConfig.equals(r.framerConfig)
                && Objects.equals(subprotocol, r.subprotocol) && peerProxyProtocol == r.peerProxyProtocol
                && Objects.equals(watch, r.watch);
    }

    @Override
    public int hashCode() {
        return Objects.hash(peer, framer, framerConfig, subprotocol, peerProxyProtocol, watch);
    }

    /** Builds a {@link Route}. */
    public static final class Builder {
        private final PeerAddress peer;
        private String framer = DEFAULT_FRAMER;
        private String framerConfig = "";
        private String subprotocol;
        private PeerProxyProtocol peerProxyProtocol = PeerProxyProtocol.OFF;
        private RouteWatch watch;

        private Builder(PeerAddress peer) {
            this.peer = Objects.requireNonNull(peer, "peer");
        }

        /**
         * @param name framer name; null or blank means {@value #DEFAULT_FRAMER}
         * @return this
         */
        public Builder framer(String name) {
            this.framer = name == null || name.isBlank() ? DEFAULT_FRAMER : name.trim();
            return this;
        }

        /**
         * @param config framer config string; null means empty
         * @return this
         */
        public Builder framerConfig(String config) {
            this.framerConfig = config == null ? "" : config;
            return this;
        }

        /**
         * @param protocol the chosen subprotocol, or null for none
         * @return this
         */
        public Builder subprotocol(String protocol) {
            this.subprotocol = protocol;
            return this;
        }

        /**
         * @param p whether to send a PROXY header to the peer; null means {@link PeerProxyProtocol#OFF}
         * @return this
         * @since 1.1
         */
        public Builder peerProxyProtocol(PeerProxyProtocol p) {
            this.peerProxyProtocol = p == null ? PeerProxyProtocol.OFF : p;
            return this;
        }

        /**
         * @param w told when the connection is bridged and when it ends; null for none
         * @return this
         * @since 1.1
         */
        public Builder watch(RouteWatch w) {
            this.watch = w;
            return this;
        }

        /** @return the route */
        public Route build() {
            return new Route(this);
        }
    }
}
