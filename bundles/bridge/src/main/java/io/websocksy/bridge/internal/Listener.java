package io.websocksy.bridge.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One WebSocket listener (factory PID {@value #PID}; {@code websocksy.listener-main.cfg} configures
 * the instance {@code main}). Binds its port, runs the handshake phase of each client and hands
 * upgraded connections to {@link Connection}. A port or address change binds the new socket before
 * the old one is released; other changes apply to new connections. Deactivation closes every client
 * with 1001 and every peer.
 */
@Component(service = Listener.class, configurationPid = Listener.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = Listener.Config.class, factory = true)
public final class Listener {
    /** Factory configuration PID. */
    public static final String PID = "websocksy.listener";
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    /** Metatype of a listener (SPEC 6 and 9). */
    @ObjectClassDefinition(id = PID, name = "websocksy listener",
            description = "A WebSocket listener: address, keep-alive, backend and limits.")
    public @interface Config {
        /** @return listen address */
        @AttributeDefinition(name = "Listen address", description = "Address to bind; :: is dual-stack (IPv4 too).")
        String listen() default "::";

        /** @return port */
        @AttributeDefinition(name = "Port", min = "0", max = "65535", description = "TCP port of the WebSocket "
                + "listener; 0 binds any free port (the log names it).")
        int port() default 8001;

        /** @return ping */
        @AttributeDefinition(name = "Ping interval (s)", min = "0", max = "86400", description = "Send a ping after this many "
                + "seconds without traffic from the client; close when the next interval passes silently. 0 = off.")
        int ping() default 30;

        /** @return backend */
        @AttributeDefinition(name = "Backend", description = "Name of the backend instance that routes this "
                + "listener's connections; 503 while none of that name runs.")
        String backend() default "main";

        /** @return handshake timeout */
        @AttributeDefinition(name = "Handshake timeout (s)", min = "1", max = "3600", description = "Counted from TCP accept.")
        int handshake$_$timeout() default 10;

        /** @return max request line */
        @AttributeDefinition(name = "Max request line (bytes)", min = "64", max = "1048576", description = "Longer: 414.")
        int max$_$request$_$line() default 4096;

        /** @return max header size */
        @AttributeDefinition(name = "Max header section (bytes)", min = "256", max = "1048576", description = "Larger: 431.")
        int max$_$header$_$size() default 8192;

        /** @return max headers */
        @AttributeDefinition(name = "Max header fields", min = "8", max = "10000", description = "More: 431.")
        int max$_$headers() default 100;

        /** @return max frame */
        @AttributeDefinition(name = "Max frame payload (bytes)", min = "125", max = "2147483647", description = "Checked from the "
                + "frame header; larger: close 1009.")
        int max$_$frame$_$size() default 1048576;

        /** @return max message */
        @AttributeDefinition(name = "Max message (bytes)", min = "1024", max = "2147483647", description = "Messages held whole "
                + "(datagram peers) and the peer-side framer buffer; larger: close 1009.")
        int max$_$message$_$size() default 1048576;

        /** @return connect timeout */
        @AttributeDefinition(name = "Connect timeout (s)", min = "1", max = "3600", description = "Route look-up, DNS and peer "
                + "connect; longer: 504.")
        int connect$_$timeout() default 10;

        /** @return max subprotocols */
        @AttributeDefinition(name = "Max subprotocols offered", min = "1", max = "1024", description = "More distinct "
                + "Sec-WebSocket-Protocol tokens in one request: 400.")
        int max$_$subprotocols() default 32;

        /** @return write timeout */
        @AttributeDefinition(name = "Write stall timeout (s)", min = "1", max = "86400", description = "A side that stays "
                + "unwritable this long is closed with 1001.")
        int write$_$timeout() default 60;

        /** @return allowed origins */
        @AttributeDefinition(name = "Allowed origins", description = "Origins allowed to open a WebSocket: full "
                + "origins (https://app.example.com) or host patterns (example.com, *.example.com); another Origin "
                + "gets 403 and the peer is never contacted. Empty: any origin.")
        String[] allowed$_$origins() default {};

        /** @return allow missing origin */
        @AttributeDefinition(name = "Allow missing Origin", description = "With allowed-origins set: whether a "
                + "request without an Origin header (a non-browser client) is accepted; false gives 403.")
        boolean allow$_$missing$_$origin() default true;

        /** @return same origin */
        @AttributeDefinition(name = "Allow same origin", description = "Also accept an Origin whose host and port "
                + "are the request's own Host (pages served from this address); with an empty allowed-origins only "
                + "those pass.")
        boolean same$_$origin() default false;

        /** @return max connections */
        @AttributeDefinition(name = "Max connections", min = "0", max = "2147483647", description = "Connections this listener serves at "
                + "once (counted from a valid request until close); more get 503 with Retry-After. 0 = unlimited.")
        int max$_$connections() default 0;

        /** @return max connections per IP */
        @AttributeDefinition(name = "Max connections per client IP", min = "0", max = "2147483647", description = "Per real client "
                + "address (after trusted-proxies); more get 503 with Retry-After. 0 = unlimited.")
        int max$_$connections$_$per$_$ip() default 0;

        /** @return retry after */
        @AttributeDefinition(name = "Retry-After (s)", min = "1", max = "86400", description = "Retry-After of the "
                + "503 sent when a connection limit is reached.")
        int retry$_$after() default 5;

        /** @return allowed peers */
        @AttributeDefinition(name = "Allowed peers", description = "Where routes may connect: ip[:port], "
                + "CIDR[:port], [ipv6-CIDR]:port, host:port, *.domain:port, port ranges lo-hi, tcp:// or udp:// "
                + "prefix, unix:/directory. Checked on the resolved address, which is the one connected; others "
                + "get 403. Empty: any peer.")
        String[] allowed$_$peers() default {};

        /** @return trusted proxies */
        @AttributeDefinition(name = "Trusted proxies", description = "IPs and CIDR ranges of reverse proxies whose "
                + "Forwarded / X-Forwarded-For headers and PROXY protocol headers are believed. Empty: none.")
        String[] trusted$_$proxies() default {};

        /** @return proxy protocol */
        @AttributeDefinition(name = "PROXY protocol", description = "off, v1, v2 or any: trusted proxies must "
                + "send a PROXY header of that version; a PROXY header from any other address closes the "
                + "connection. Needs trusted-proxies.", options = {
                    @org.osgi.service.metatype.annotations.Option(value = "off"),
                    @org.osgi.service.metatype.annotations.Option(value = "v1"),
                    @org.osgi.service.metatype.annotations.Option(value = "v2"),
                    @org.osgi.service.metatype.annotations.Option(value = "any")})
        String proxy$_$protocol() default "off";

        /** @return TLS certificate */
        @AttributeDefinition(name = "TLS certificate chain", required = false, description = "PEM file, leaf "
                + "first; with tls-key the listener speaks wss:// (TLS 1.2 and 1.3). Empty: plain ws://.")
        String tls$_$certificate() default "";

        /** @return TLS key */
        @AttributeDefinition(name = "TLS private key", required = false, description = "PEM PKCS#8 (BEGIN PRIVATE "
                + "KEY), RSA, EC or EdDSA, unencrypted.")
        String tls$_$key() default "";

        /** @return TLS client CA */
        @AttributeDefinition(name = "TLS client CA bundle", required = false, description = "PEM CA certificates; "
                + "when set, clients must present a certificate they signed. Empty: no client certificates.")
        String tls$_$client$_$ca() default "";

        /** @return TLS reload interval */
        @AttributeDefinition(name = "TLS reload check (s)", min = "0", max = "86400", description = "How often the "
                + "TLS files are checked for changes; new connections get the new certificate. 0 = never.")
        int tls$_$reload$_$interval() default 10;

        /** @return TLS provider */
        @AttributeDefinition(name = "TLS provider", description = "auto (OpenSSL via netty-tcnative when "
                + "installed, else the JDK), jdk or openssl.", options = {
                    @org.osgi.service.metatype.annotations.Option(value = "auto"),
                    @org.osgi.service.metatype.annotations.Option(value = "jdk"),
                    @org.osgi.service.metatype.annotations.Option(value = "openssl")})
        String tls$_$provider() default "auto";

        /** @return access log */
        @AttributeDefinition(name = "Access log", description = "One line per connection at close on the logger "
                + "io.websocksy.access (replaces the close line of io.websocksy.connection).")
        boolean access$_$log() default false;

        /** @return access log format */
        @AttributeDefinition(name = "Access log format", description = "text or json (one object per line).",
                options = {
                    @org.osgi.service.metatype.annotations.Option(value = "text"),
                    @org.osgi.service.metatype.annotations.Option(value = "json")})
        String access$_$log$_$format() default "text";

        /** @return static file directory */
        @AttributeDefinition(name = "Static files directory", required = false, description = "A plain GET or "
                + "HEAD that is not a WebSocket upgrade is answered from this directory (e.g. /usr/share/novnc); "
                + "nothing outside it is served (404). Empty: off.")
        String web() default "";

        /** @return index file */
        @AttributeDefinition(name = "Index file", required = false, description = "File served for a directory "
                + "path ending in /. Empty: none.")
        String web$_$index() default "index.html";

        /** @return directory listings */
        @AttributeDefinition(name = "Directory listings", description = "List a directory without an index file; "
                + "false gives 404.")
        boolean web$_$listing() default false;

        /** @return cache control */
        @AttributeDefinition(name = "Cache-Control of static files", required = false, description = "Value of the "
                + "Cache-Control header of files (ETag and Last-Modified are always sent). Empty: no header.")
        String web$_$cache$_$control() default "no-cache";
        /** @return compression */
        @AttributeDefinition(name = "permessage-deflate", description = "on: negotiate RFC 7692 compression with "
                + "clients that offer it; inflated sizes count against max-frame-size and max-message-size.",
                options = {
                    @org.osgi.service.metatype.annotations.Option(value = "off"),
                    @org.osgi.service.metatype.annotations.Option(value = "on")})
        String compression() default "off";

        /** @return compression level */
        @AttributeDefinition(name = "Compression level", min = "1", max = "9", description = "zlib level for "
                + "peer-to-client messages.")
        int compression$_$level() default 6;

        /** @return compression window bits */
        @AttributeDefinition(name = "Compression window bits", min = "8", max = "15", description = "Largest "
                + "LZ77 window of the server's compressor (server_max_window_bits).")
        int compression$_$window$_$bits() default 15;

        /** @return no context takeover */
        @AttributeDefinition(name = "No context takeover", description = "Both sides reset their compressor "
                + "after every message (server_ and client_no_context_takeover): less memory, less compression.")
        boolean compression$_$no$_$context$_$takeover() default false;

        /** @return compression min size */
        @AttributeDefinition(name = "Compression min size (bytes)", min = "0", max = "2147483647", description = "Shorter "
                + "peer-to-client messages are sent uncompressed.")
        int compression$_$min$_$size() default 64;
        /** @return health path */
        @AttributeDefinition(name = "Health path", required = false, description = "For load balancers: a plain GET of "
                + "this path (e.g. /healthz) without Upgrade answers 200 while the listener takes connections and 503 "
                + "while it drains; no backend or peer is contacted. Empty: off.")
        String health$_$path() default "";
    }

    @Reference
    private Transport transport;
    @Reference
    private FramerRegistry framers;
    @Reference
    private BackendRegistry backends;
    @Reference
    private ConnectionRegistry connections;

    private final ChannelGroup channels = new DefaultChannelGroup("websocksy-listener", GlobalEventExecutor.INSTANCE);
    /** TLS, PROXY protocol, real client address, limits (SPEC 9); lives across reconfigurations. */
    private final ListenerSecurity security = new ListenerSecurity();
    private final RateLimitedLog rejections = new RateLimitedLog(LoggerFactory.getLogger("io.websocksy.handshake"), 20);
    private volatile ListenerSettings settings;
    /** Running or failed (with the error text); a failed listener binds nothing until a corrected configuration. */
    private volatile ListenerState state;
    private volatile Channel server;
    // management (Admin): totals since activation, drain state; drain/resume/modified hold `this`
    private final AtomicLong acceptedTotal = new AtomicLong();
    private final AtomicLong upgradedTotal = new AtomicLong();
    private final AtomicLong rejectedTotal = new AtomicLong();
    private volatile boolean draining;
    /** Set when a shutdown drain begins ({@link ShutdownDrain}): health-path answers 503 while still accepting. */
    private volatile boolean healthDown;
    /** Metrics of this listener's name (kept by the registry across reconfigurations). */
    private volatile ListenerCounters counters;
    private ScheduledFuture<?> drainTimer;
    /** The reason of the 1001 sent to clients when the listener stops; the shutdown hook sets its own. */
    private volatile String closeReason = "server going away";
    private volatile boolean stopped; // written under this

    /**
     * Starts the listener. A configuration it cannot use (a bad value, an unknown key, an address that cannot
     * be bound) does not fail the activation: the listener stays {@link ListenerState failed}, shows so in the
     * management view, and the next configuration update starts it (SCR would otherwise keep the component
     * in FAILED ACTIVATION and ignore the corrected file).
     */
    @Activate
    synchronized void activate(Map<String, Object> props) throws InterruptedException {
        state = new ListenerState(props);
        start(props, "listening on");
    }

    /** Validates and binds; on failure logs the one error line and marks the listener failed. */
    private boolean start(Map<String, Object> props, String verb) throws InterruptedException {
        ListenerSettings s;
        try {
            s = new ListenerSettings(props);
            security.configure(s);
        } catch (IllegalArgumentException e) {
            String why = state.named(e.getMessage());
            state.failed(why);
            LOG.error("listener {} not started: {}", state.name(), why);
            return false;
        }
        settings = s; // before the bind: the first client may be accepted before bind() returns
        counters = connections.counters().listener(s.name);
        security.counters(counters);
        try {
            server = bind(s);
        } catch (RuntimeException e) {
            security.close(); // stops the TLS reload thread of a listener that never started
            state.failed(state.source() + ": " + e.getMessage());
            LOG.error("listener {} not started: {}: {}", state.name(), state.source(), e.getMessage());
            return false;
        }
        state.running();
        LOG.info("listener {} {} {} ({}) - {}", s.name, verb, server.localAddress(),
                transport.isEpoll() ? "epoll" : "nio", s);
        transport.shutdownDrain().add(this);
        ListenerChecks.afterConfiguration(this, s, state.source());
        return true;
    }

    @Modified
    synchronized void modified(Map<String, Object> props) throws InterruptedException {
        if (stopped) {
            return; // stopped for the framework shutdown; nothing binds again
        }
        state.configured(props);
        if (state.failure() != null) {
            // not running: a corrected configuration starts it
            start(props, "started after a configuration update, listening on");
            return;
        }
        ListenerSettings next;
        try {
            next = new ListenerSettings(props);
            security.configure(next);
        } catch (IllegalArgumentException e) {
            LOG.error("listener {}: configuration rejected, previous one keeps serving: {}", settings.name,
                    state.named(e.getMessage()));
            return;
        }
        ListenerSettings old = settings;
        if (draining) {
            // a configuration update ends a drain: bind again (SPEC 8, BridgeAdmin.drain)
            try {
                server = bind(next);
            } catch (RuntimeException e) {
                LOG.error("listener {}: {}: still draining, {}", old.name, state.source(), e.getMessage());
                return;
            }
            endDrain();
            LOG.info("listener {} accepting again on {} after a configuration update", next.name,
                    server.localAddress());
        } else if (!next.sameAddress(old)) {
            Channel fresh;
            try {
                fresh = bind(next);
            } catch (RuntimeException e) {
                LOG.error("listener {}: {}: {}; still on {}", old.name, state.source(), e.getMessage(),
                        server.localAddress());
                return;
            }
            Channel previous = server;
            server = fresh;
            previous.close().syncUninterruptibly();
            LOG.info("listener {} moved from {} to {}", next.name, previous.localAddress(), fresh.localAddress());
        }
        settings = next;
        LOG.info("listener {} reconfigured - {}", next.name, next);
        ListenerChecks.afterConfiguration(this, next, state.source());
    }

    private Channel bind(ListenerSettings s) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(transport.boss(), transport.workers())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ListenerSettings cur = settings;
                        acceptedTotal.incrementAndGet();
                        counters.accepted.increment();
                        channels.add(ch);
                        security.initChannel(ch, cur);
                        ch.pipeline().addLast(ListenerPipelines.HTTP,
                                new HttpHeadDecoder(cur.maxRequestLine, cur.maxHeaderSize, cur.maxHeaders));
                        ch.pipeline().addLast(ListenerPipelines.UPGRADE, new UpgradeHandler(Listener.this, cur));
                    }
                });
        InetSocketAddress at = new InetSocketAddress(s.listen, s.port);
        if (at.isUnresolved()) {
            // the native transport would fail with a message-less NullPointerException
            throw new IllegalStateException("cannot listen on " + s.listen + " port " + s.port + ": "
                    + BindErrors.describe(new java.nio.channels.UnresolvedAddressException()));
        }
        ChannelFuture f = b.bind(at).await();
        if (!f.isSuccess() && s.listen.equals("::")) {
            LOG.warn("listener {}: cannot bind [::]:{} ({}); falling back to 0.0.0.0", s.name, s.port,
                    BindErrors.describe(f.cause()));
            f = b.bind(new InetSocketAddress("0.0.0.0", s.port)).await();
        }
        if (!f.isSuccess()) {
            // the caller logs it (once), with what it does about it
            throw new IllegalStateException("cannot listen on " + s.listen + " port " + s.port + ": "
                    + BindErrors.describe(f.cause()), f.cause());
        }
        return f.channel();
    }

    @Deactivate
    synchronized void deactivate() {
        if (stopped) {
            return; // stopped already by the framework shutdown (ShutdownOrder)
        }
        stopped = true;
        transport.shutdownDrain().remove(this);
        endDrain();
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        List<Connection> mine = new ArrayList<>();
        for (Connection c : connections.snapshot()) {
            if (c.settings() != null && c.listener().equals(state.name()) && channels.contains(c.clientChannel())) {
                mine.add(c);
                c.close(1001, closeReason);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Connection.FORCE_CLOSE_SECONDS);
        for (Connection c : mine) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                c.clientChannel().closeFuture().awaitUninterruptibly(TimeUnit.NANOSECONDS.toMillis(left));
            }
        }
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        security.close();
        server = null;
        LOG.info("listener {} stopped ({} connections closed with 1001)", state.name(), mine.size());
    }

    /**
     * Stops the listener at framework shutdown, before the framers and backends its connections use go away:
     * clients get 1001 {@code server shutting down}. SCR's later deactivation then has nothing left to do.
     */
    void shutdown() {
        closeReason = "server shutting down";
        deactivate();
    }

    void rejected(Channel ch, String request, int status, String cause) {
        rejectedTotal.incrementAndGet();
        counters.rejected(status);
        if (ListenerChecks.isConfigurationProblem(status, cause)) {
            rejections.warn("{} {} {} -> {} {}", settings.name, ClientAddress.format(ClientAddress.of(ch)), request,
                    status, cause);
            return;
        }
        rejections.info("{} {} {} -> {} {}", settings.name, ClientAddress.format(ClientAddress.of(ch)), request, status,
                cause);
    }

    /** @return the bound address, or null */
    public InetSocketAddress boundAddress() {
        return server == null ? null : (InetSocketAddress) server.localAddress();
    }

    // ---------------------------------------------------------------- management (Admin)

    /** Counts a handshake answered with 101. */
    void upgraded() {
        upgradedTotal.incrementAndGet();
        counters.upgraded.increment();
    }

    ListenerCounters counters() {
        return counters;
    }

    /** @return the listener's name (its configuration's instance name) */
    String name() {
        return state.name();
    }

    /** @return true once deactivated (or stopped by the framework shutdown) */
    boolean stopped() {
        return stopped;
    }

    /** @return running or failed, with the error text */
    ListenerState state() {
        return state;
    }

    ListenerSettings settings() {
        return settings;
    }

    /** @return true when the serving configuration has TLS ({@code tls-certificate} and {@code tls-key}) */
    boolean tls() {
        return settings.tls != null;
    }

    /** @return the address clients connect to: the bound one, or the configured one while not bound */
    String address() {
        Channel ch = server;
        ListenerSettings s = settings;
        if (ch != null && ch.isOpen() && ch.localAddress() instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) ch.localAddress();
            String host = a.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return (s.listen.indexOf(':') >= 0 ? "[" + s.listen + "]" : s.listen) + ":" + s.port;
    }

    /** @return the live connections this listener accepted */
    List<Connection> openConnections() {
        List<Connection> mine = new ArrayList<>();
        for (Connection c : connections.snapshot()) {
            if (channels.contains(c.clientChannel())) {
                mine.add(c);
            }
        }
        return mine;
    }

    /**
     * @return true while health-path should answer 200: accepting, no shutdown drain begun, and the
     *     listener's backend running (a runtime whose backend bundle is not active yet would answer 503)
     */
    boolean healthy() {
        return unhealthy() == null;
    }

    /** @return why health-path answers 503 ({@code draining}, {@code no backend}), or null for 200 */
    String unhealthy() {
        if (draining || healthDown) {
            return "draining";
        }
        return backends.lookup(settings.backend) == null ? "no backend" : null;
    }

    /** A shutdown drain began: health-path answers 503 from now on; connections are still accepted. */
    void healthDown() {
        healthDown = true;
    }

    /** @return true while draining or drained (not accepting) */
    boolean isDraining() {
        return draining;
    }

    long acceptedTotal() {
        return acceptedTotal.get();
    }

    long upgradedTotal() {
        return upgradedTotal.get();
    }

    long rejectedTotal() {
        return rejectedTotal.get();
    }

    /**
     * Stops accepting (closes the server socket) and closes the connections still open after
     * {@code timeoutMillis} with 1001. Called from the shell thread, never an event loop.
     *
     * @throws IllegalStateException when already draining
     */
    synchronized void drain(long timeoutMillis) {
        state.requireRunning();
        if (draining) {
            throw new IllegalStateException("listener " + settings.name + " is already draining (resume it first)");
        }
        draining = true;
        Channel ch = server;
        String addr = address();
        if (ch != null) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        int open = openConnections().size();
        LOG.info("listener {} draining: no longer accepting on {}; {} open connections, closed with 1001 in {} ms "
                + "if still open", settings.name, addr, open, timeoutMillis);
        drainTimer = transport.boss().schedule(this::drainTimeout, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void drainTimeout() {
        List<Connection> left = openConnections();
        if (!left.isEmpty()) {
            LOG.info("listener {} drain timeout: closing {} connections with 1001", settings.name, left.size());
        }
        for (Connection c : left) {
            c.close(1001, "server going away");
        }
    }

    /**
     * Binds again after a drain.
     *
     * @throws IllegalStateException when not draining, or the address cannot be bound
     */
    synchronized void resume() throws InterruptedException {
        state.requireRunning();
        if (!draining) {
            throw new IllegalStateException("listener " + settings.name + " is not draining");
        }
        server = bind(settings);
        endDrain();
        LOG.info("listener {} accepting again on {}", settings.name, server.localAddress());
    }

    private void endDrain() {
        draining = false;
        if (drainTimer != null) {
            drainTimer.cancel(false);
            drainTimer = null;
        }
    }

    Transport transport() {
        return transport;
    }

    ListenerSecurity security() {
        return security;
    }

    FramerRegistry framers() {
        return framers;
    }

    BackendRegistry backends() {
        return backends;
    }

    ConnectionRegistry connections() {
        return connections;
    }
}
