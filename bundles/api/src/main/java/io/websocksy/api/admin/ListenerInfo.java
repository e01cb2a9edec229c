package io.websocksy.api.admin;

import java.util.Objects;

/**
 * A snapshot of one listener. Immutable; counters are totals since the listener was activated.
 */
public final class ListenerInfo {
    /** What a listener does with new clients. */
    public enum State {
        /** Bound and accepting. */
        LISTENING,
        /** Not accepting; open connections carry on until they end or the drain timeout closes them. */
        DRAINING,
        /** Not accepting and no connection left. */
        DRAINED,
        /**
         * Configured but not running: its configuration is invalid or its address cannot be bound;
         * {@link ListenerInfo#failure()} says why. A corrected configuration starts it.
         *
         * @since 1.1
         */
        FAILED;

        /** @return the lower-case name used in tables, e.g. {@code draining} */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String name;
    private final String address;
    private final boolean tls;
    private final String backend;
    private final boolean backendBound;
    private final State state;
    private final int open;
    private final long accepted;
    private final long upgraded;
    private final long rejected;
    private final String failure;

    private ListenerInfo(Builder b) {
        this.name = b.name;
        this.address = b.address;
        this.tls = b.tls;
        this.backend = b.backend;
        this.backendBound = b.backendBound;
        this.state = b.state;
        this.open = b.open;
        this.accepted = b.accepted;
        this.upgraded = b.upgraded;
        this.rejected = b.rejected;
        this.failure = b.failure;
    }

    /**
     * @param name the listener's name (its configuration's instance name, e.g. {@code main})
     * @return a builder
     */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** @return the listener's name */
    public String name() {
        return name;
    }

    /** @return the address it is bound to, e.g. {@code 127.0.0.1:8080}, or the configured one when not bound */
    public String address() {
        return address;
    }

    /** @return true when clients connect with TLS ({@code wss://}) */
    public boolean tls() {
        return tls;
    }

    /** @return the name of the backend instance the listener uses */
    public String backend() {
        return backend;
    }

    /** @return true when a backend service of that name is running (else clients get 503) */
    public boolean backendBound() {
        return backendBound;
    }

    /** @return whether it accepts new clients */
    public State state() {
        return state;
    }

    /** @return connections open now (upgraded and not yet closed) */
    public int open() {
        return open;
    }

    /** @return TCP connections accepted in total */
    public long accepted() {
        return accepted;
    }

    /** @return handshakes answered with 101 in total */
    public long upgraded() {
        return upgraded;
    }

    /** @return handshakes answered with an HTTP error (or dropped at the handshake timeout) in total */
    public long rejected() {
        return rejected;
    }

    /**
     * @return why the listener is {@link State#FAILED}, fit to show a user as is; empty otherwise
     * @since 1.1
     */
    public java.util.Optional<String> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return "ListenerInfo[" + name + " " + state.label() + " " + address + (tls ? " tls" : "") + " backend="
                + backend + (backendBound ? "" : " (unbound)") + " open=" + open + " accepted=" + accepted
                + " upgraded=" + upgraded + " rejected=" + rejected + (failure == null ? "" : " failure=" + failure) + "]";
    }

    /** Builds a {@link ListenerInfo}; name, address, backend and state are required. */
    public static final class Builder {
        private final String name;
        private String address;
        private boolean tls;
        private String backend;
        private boolean backendBound;
        private State state;
        private int open;
        private long accepted;
        private long upgraded;
        private long rejected;
        private String failure;

        private Builder(String name) {
            this.name = Checks.nonEmpty(name, "name");
        }

        /** @param a bound or configured address @return this */
        public Builder address(String a) {
            this.address = Checks.nonEmpty(a, "address");
            return this;
        }

        /** @param on TLS on @return this */
        public Builder tls(boolean on) {
            this.tls = on;
            return this;
        }

        /** @param name backend name @param bound whether a service of that name runs @return this */
        public Builder backend(String name, boolean bound) {
            this.backend = Checks.nonEmpty(name, "backend");
            this.backendBound = bound;
            return this;
        }

        /** @param s state @return this */
        public Builder state(State s) {
            this.state = Objects.requireNonNull(s, "state");
            return this;
        }

        /**
         * @param openNow open connections
         * @param acceptedTotal accepted TCP connections
         * @param upgradedTotal 101 answers
         * @param rejectedTotal error answers
         * @return this
         * @throws IllegalArgumentException when a count is negative
         */
        public Builder counts(int openNow, long acceptedTotal, long upgradedTotal, long rejectedTotal) {
            this.open = (int) Checks.notNegative(openNow, "open");
            this.accepted = Checks.notNegative(acceptedTotal, "accepted");
            this.upgraded = Checks.notNegative(upgradedTotal, "upgraded");
            this.rejected = Checks.notNegative(rejectedTotal, "rejected");
            return this;
        }

        /**
         * @param why why the listener is {@link State#FAILED}; null for none
         * @return this
         * @since 1.1
         */
        public Builder failure(String why) {
            this.failure = why;
            return this;
        }

        /**
         * @return the snapshot
         * @throws IllegalStateException when address, backend or state is missing
         */
        public ListenerInfo build() {
            if (address == null || backend == null || state == null) {
                throw new IllegalStateException("listener " + name + ": address, backend and state are required");
            }
            return new ListenerInfo(this);
        }
    }
}
