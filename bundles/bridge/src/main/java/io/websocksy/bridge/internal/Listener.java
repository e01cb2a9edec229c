package io.websocksy.bridge.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
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
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.websocksy.api.backend.Backend;

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
    /** What clients accepted under {@link #settings} see of this listener; replaced with the settings. */
    private volatile Context context;
    private volatile Channel server;
    // management (Admin): totals since activation, drain state; drain/resume/modified hold `this`
    private final AtomicLong acceptedTotal = new AtomicLong();
    private final AtomicLong upgradedTotal = new AtomicLong();
    private final AtomicLong rejectedTotal = new AtomicLong();
    private volatile boolean draining;
    private ScheduledFuture<?> drainTimer;

    @Activate
    void activate(Map<String, Object> props) throws InterruptedException {
        ListenerSettings s;
        try {
            s = new ListenerSettings(props);
            security.configure(s);
        } catch (IllegalArgumentException e) {
            LOG.error("listener not started: {}", e.getMessage());
            throw e;
        }
        settings = s;
        context = new Context(s, this);
        try {
            server = bind(s);
        } catch (RuntimeException e) {
            security.close(); // stops the TLS reload thread of a listener that never started
            throw e;
        }
        LOG.info("listener {} listening on {} ({}) - {}", s.name, server.localAddress(),
                transport.isEpoll() ? "epoll" : "nio", s);
    }

    @Modified
    synchronized void modified(Map<String, Object> props) throws InterruptedException {
        ListenerSettings next;
        try {
            next = new ListenerSettings(props);
            security.configure(next);
        } catch (IllegalArgumentException e) {
            LOG.error("listener {}: configuration rejected, previous one keeps serving: {}", settings.name,
                    e.getMessage());
            return;
        }
        ListenerSettings old = settings;
        if (draining) {
            // a configuration update ends a drain: bind again (SPEC 8, BridgeAdmin.drain)
            try {
                server = bind(next);
            } catch (RuntimeException e) {
                LOG.error("listener {}: still draining, cannot bind {}:{}: {}", old.name, next.listen, next.port,
                        e.getMessage());
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
                LOG.error("listener {}: cannot rebind to {}:{}, still on {}: {}", old.name, next.listen, next.port,
                        server.localAddress(), e.getMessage());
                return;
            }
            Channel previous = server;
            server = fresh;
            previous.close().syncUninterruptibly();
            LOG.info("listener {} moved from {} to {}", next.name, previous.localAddress(), fresh.localAddress());
        }
        settings = next;
        context = new Context(next, this);
        LOG.info("listener {} reconfigured - {}", next.name, next);
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
                        acceptedTotal.incrementAndGet();
                        channels.add(ch);
                        BridgePipeline.client(ch, context, security);
                    }
                });
        ChannelFuture f = b.bind(new InetSocketAddress(s.listen, s.port)).await();
        if (!f.isSuccess() && s.listen.equals("::")) {
            LOG.warn("listener {}: cannot bind [::]:{} ({}); falling back to 0.0.0.0", s.name, s.port,
                    f.cause().getMessage());
            f = b.bind(new InetSocketAddress("0.0.0.0", s.port)).await();
        }
        if (!f.isSuccess()) {
            String msg = "listener " + s.name + ": cannot listen on " + s.listen + " port " + s.port + ": "
                    + f.cause().getMessage();
            LOG.error(msg);
            throw new IllegalStateException(msg, f.cause());
        }
        return f.channel();
    }

    @Deactivate
    synchronized void deactivate() {
        ListenerSettings s = settings;
        endDrain();
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        List<Connection> mine = new ArrayList<>();
        for (Connection c : connections.snapshot()) {
            if (c.settings() != null && c.listener().equals(s.name) && channels.contains(c.clientChannel())) {
                mine.add(c);
                c.close(1001, "server going away");
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
        LOG.info("listener {} stopped ({} connections closed with 1001)", s.name, mine.size());
    }

    /** @return the bound address, or null */
    public InetSocketAddress boundAddress() {
        return server == null ? null : (InetSocketAddress) server.localAddress();
    }

    // ---------------------------------------------------------------- management (Admin)

    /** @return the listener's name (its configuration's instance name) */
    String name() {
        return settings.name;
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

    /** @return the TLS context and the connection limits (the tests read the limits) */
    ListenerSecurity security() {
        return security;
    }

    /**
     * The {@link ListenerContext} of one configuration: the settings with the listener's security, the
     * shared services and its counters, without the rest of the listener.
     */
    private static final class Context implements ListenerContext {
        private final ListenerSettings settings;
        private final ListenerSecurity security;
        private final Transport transport;
        private final FramerRegistry framers;
        private final BackendRegistry backends;
        private final ConnectionRegistry connections;
        private final AtomicLong upgradedTotal;
        private final AtomicLong rejectedTotal;
        private final RateLimitedLog rejections;

        Context(ListenerSettings settings, Listener l) {
            this.settings = settings;
            this.security = l.security;
            this.transport = l.transport;
            this.framers = l.framers;
            this.backends = l.backends;
            this.connections = l.connections;
            this.upgradedTotal = l.upgradedTotal;
            this.rejectedTotal = l.rejectedTotal;
            this.rejections = l.rejections;
        }

        @Override
        public ListenerSettings settings() {
            return settings;
        }

        @Override
        public void resolveClient(Channel ch, HttpHead head) {
            security.resolveClient(ch, head, settings);
        }

        @Override
        public String admit(Channel ch) {
            return security.admit(ch, settings);
        }

        @Override
        public ServiceTable.Entry<Backend> backend() {
            return backends.lookup(settings.backend);
        }

        @Override
        public Executor routeExecutor() {
            return transport.routeExecutor();
        }

        @Override
        public FramerRegistry framers() {
            return framers;
        }

        @Override
        public long nextConnectionId() {
            return connections.nextId();
        }

        @Override
        public ChannelFuture connectPeer(Connection conn) throws PeerConnector.UnsupportedTransportException {
            return PeerConnector.connect(transport, conn.clientChannel().eventLoop(), conn,
                    settings.connectTimeout * 1000, ch -> BridgePipeline.peer(ch, conn));
        }

        @Override
        public void upgraded(ChannelPipeline p, Connection conn) {
            connections.add(conn);
            upgradedTotal.incrementAndGet();
            BridgePipeline.upgrade(p, conn);
        }

        @Override
        public void rejected(Channel ch, String request, int status, String cause) {
            rejectedTotal.incrementAndGet();
            rejections.info("{} {} {} -> {} {}", settings.name, ClientAddress.format(ClientAddress.of(ch)), request,
                    status, cause);
        }
    }
}
