package io.websocksy.api.admin;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client would send, for {@link BridgeAdmin#dryRun(DryRunRequest)}: the request target (path
 * and query), extra headers, cookies and offered subprotocols, and whose backend answers (a listener's,
 * or a backend named directly). The bridge adds the handshake headers a client must send
 * ({@code Host}, {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Version},
 * {@code Sec-WebSocket-Key}) unless given here, folds the cookies into one {@code Cookie} header and
 * the subprotocols into one {@code Sec-WebSocket-Protocol} header. Immutable; every value is
 * checked when it is added, so a built request is well-formed HTTP.
 */
public final class DryRunRequest {
    private final String listener;
    private final String backend;
    private final String target;
    private final List<Map.Entry<String, String>> headers;
    private final Map<String, String> cookies;
    private final List<String> subprotocols;
    private final InetSocketAddress remote;

    private DryRunRequest(Builder b) {
        this.listener = b.listener;
        this.backend = b.backend;
        this.target = b.target;
        this.headers = Collections.unmodifiableList(new ArrayList<>(b.headers));
        this.cookies = Collections.unmodifiableMap(new LinkedHashMap<>(b.cookies));
        this.subprotocols = List.copyOf(b.subprotocols);
        this.remote = b.remote;
    }

    /**
     * @param target the request target: a path starting with {@code /}, optionally with a query,
     *     e.g. {@code /vnc/a?token=x}; as sent on the wire (percent-encoded), no spaces or controls
     * @return a builder
     * @throws IllegalArgumentException when the target is not such a path
     */
    public static Builder forTarget(String target) {
        return new Builder(target);
    }

    /** @return the listener whose backend answers, if one was named */
    public Optional<String> listener() {
        return Optional.ofNullable(listener);
    }

    /** @return the backend that answers, if one was named instead of a listener */
    public Optional<String> backend() {
        return Optional.ofNullable(backend);
    }

    /** @return the request target, path and query */
    public String target() {
        return target;
    }

    /** @return extra headers in order, names as given */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** @return cookies in order */
    public Map<String, String> cookies() {
        return cookies;
    }

    /** @return offered subprotocols in order */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** @return the client address the backend sees; 127.0.0.1 port 0 unless set */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String toString() {
        return "DryRunRequest[" + (listener != null ? "listener " + listener : backend != null ? "backend " + backend
                : "default listener") + " GET " + target + " headers=" + headers + " cookies=" + cookies.keySet()
                + " subprotocols=" + subprotocols + "]";
    }

    /** Builds a {@link DryRunRequest}. */
    public static final class Builder {
        private String listener;
        private String backend;
        private final String target;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private final List<String> subprotocols = new ArrayList<>();
        private InetSocketAddress remote = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

        private Builder(String target) {
            if (target == null || !target.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', got '" + target + "'");
            }
            for (int i = 0; i < target.length(); i++) {
                char c = target.charAt(i);
                if (c <= 0x20 || c >= 0x7f) {
                    throw new IllegalArgumentException("path must not contain spaces, controls or non-ASCII "
                            + "characters (percent-encode them), got '" + target + "'");
                }
            }
            if (target.indexOf('#') >= 0) {
                throw new IllegalArgumentException("path must not contain a fragment ('#'), got '" + target + "'");
            }
            this.target = target;
        }

        /**
         * @param name the listener whose backend answers (and whose limits apply)
         * @return this
         * @throws IllegalArgumentException when empty, or a backend was named already
         */
        public Builder listener(String name) {
            if (backend != null) {
                throw new IllegalArgumentException("name a listener or a backend, not both");
            }
            this.listener = Checks.nonEmpty(name, "listener");
            return this;
        }

        /**
         * @param name the backend that answers (default listener limits apply)
         * @return this
         * @throws IllegalArgumentException when empty, or a listener was named already
         */
        public Builder backend(String name) {
            if (listener != null) {
                throw new IllegalArgumentException("name a listener or a backend, not both");
            }
            this.backend = Checks.nonEmpty(name, "backend");
            return this;
        }

        /**
         * @param name header name (an RFC 9110 token)
         * @param value header value (no control characters except tab); leading and trailing blanks are trimmed
         * @return this
         * @throws IllegalArgumentException for a bad name or value
         */
        public Builder header(String name, String value) {
            if (!Checks.isToken(name)) {
                throw new IllegalArgumentException("bad header name '" + name + "'");
            }
            if (value == null || !Checks.noControls(value, true)) {
                throw new IllegalArgumentException("bad value for header " + name + ": control characters");
            }
            headers.add(new AbstractMap.SimpleImmutableEntry<>(name, value.strip()));
            return this;
        }

        /**
         * @param name cookie name (a token)
         * @param value cookie value (RFC 6265 cookie-octets: no blanks, quotes, commas, semicolons or backslashes)
         * @return this
         * @throws IllegalArgumentException for a bad name or value
         */
        public Builder cookie(String name, String value) {
            if (!Checks.isToken(name)) {
                throw new IllegalArgumentException("bad cookie name '" + name + "'");
            }
            Objects.requireNonNull(value, "cookie value");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                    throw new IllegalArgumentException("bad value for cookie " + name + ": '" + value + "'");
                }
            }
            cookies.put(name, value);
            return this;
        }

        /**
         * @param protocol an offered subprotocol (a token)
         * @return this
         * @throws IllegalArgumentException when it is not a token
         */
        public Builder subprotocol(String protocol) {
            if (!Checks.isToken(protocol)) {
                throw new IllegalArgumentException("bad subprotocol '" + protocol + "' (must be a token)");
            }
            subprotocols.add(protocol);
            return this;
        }

        /**
         * @param address the client address the backend sees
         * @return this
         */
        public Builder remoteAddress(InetSocketAddress address) {
            this.remote = Objects.requireNonNull(address, "remote address");
            return this;
        }

        /** @return the request */
        public DryRunRequest build() {
            return new DryRunRequest(this);
        }
    }
}
