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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.websocksy.api.backend.Backend;
import io.websocksy.bridge.internal.config.ListenerConfig;
import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.deflate.Negotiation;
import io.websocksy.bridge.internal.handshake.ListenerContext;
import io.websocksy.bridge.internal.handshake.StaticFileHandler;
import io.websocksy.bridge.internal.handshake.UpgradeHandler;
import io.websocksy.bridge.internal.http.HttpHead;
import io.websocksy.bridge.internal.peer.PeerConnector;
import io.websocksy.bridge.internal.relay.Connection;
import io.websocksy.bridge.internal.relay.ListenerCounters;
import io.websocksy.bridge.internal.runtime.BindErrors;
import io.websocksy.bridge.internal.runtime.BackendRegistry;
import io.websocksy.bridge.internal.runtime.ConnectionRegistry;
import io.websocksy.bridge.internal.runtime.FramerRegistry;
import io.websocksy.bridge.internal.runtime.NettyRuntime;
import io.websocksy.bridge.internal.runtime.RateLimitedLog;
import io.websocksy.bridge.internal.runtime.ShutdownDrain;
import io.websocksy.bridge.internal.runtime.ServiceTable;
import io.websocksy.bridge.internal.security.ClientAddress;

/**
 * One WebSocket listener (factory PID {@value #PID}; {@code websocksy.listener-main.cfg} configures
 * the instance {@code main}). Binds its port, runs the handshake phase of each client and hands
 * upgraded connections to {@link Connection}. A port or address change binds the new socket before
 * the old one is released; other changes apply to new connections. Deactivation closes every client
 * with 1001 and every peer.
 */
@Component(service = Listener.class, configurationPid = Listener.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = ListenerConfig.class, factory = true)
public final class Listener implements ShutdownDrain.Drained {
    /** Factory configuration PID. */
    public static final String PID = ListenerConfig.PID;
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    @Reference
    private NettyRuntime runtime;
    @Reference
    private FramerRegistry framers;
    @Reference
    private BackendRegistry backends;
    @Reference
    private ConnectionRegistry connections;

    private final ChannelGroup channels = new DefaultChannelGroup("websocksy-listener", GlobalEventExecutor.INSTANCE);
    /** TLS, PROXY protocol, real client address, limits (docs/behaviour.md#security); lives across reconfigurations. */
    private final ListenerSecurity security = new ListenerSecurity();
    private final RateLimitedLog rejections = new RateLimitedLog(LoggerFactory.getLogger("io.websocksy.handshake"), 20);
    private volatile ListenerSettings settings;
    /** Running or failed (with the error text); a failed listener binds nothing until a corrected configuration. */
    private volatile ListenerState state;
    /** What clients accepted under {@link #settings} see of this listener; replaced with the settings. */
    private volatile Context context;
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
            security.configure(s, runtime.scheduler());
        } catch (IllegalArgumentException e) {
            String why = state.named(e.getMessage());
            state.failed(why);
            LOG.error("listener {} not started: {}", state.name(), why);
            return false;
        }
        settings = s; // before the bind: the first client may be accepted before bind() returns
        counters = connections.counters().listener(s.name);
        security.counters(counters);
        context = new Context(s, this);
        try {
            server = bind(s);
        } catch (RuntimeException e) {
            security.close(); // stops the TLS reload check of a listener that never started
            state.failed(state.source() + ": " + e.getMessage());
            LOG.error("listener {} not started: {}: {}", state.name(), state.source(), e.getMessage());
            return false;
        }
        state.running();
        LOG.info("listener {} {} {} ({}) - {}", s.name, verb, server.localAddress(),
                runtime.isEpoll() ? "epoll" : "nio", s);
        runtime.shutdownDrain().add(this);
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
            security.configure(next, runtime.scheduler());
        } catch (IllegalArgumentException e) {
            LOG.error("listener {}: configuration rejected, previous one keeps serving: {}", settings.name,
                    state.named(e.getMessage()));
            return;
        }
        ListenerSettings old = settings;
        if (draining) {
            // a configuration update ends a drain: bind again (docs/behaviour.md#management, BridgeAdmin.drain)
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
        context = new Context(next, this);
        LOG.info("listener {} reconfigured - {}", next.name, next);
        ListenerChecks.afterConfiguration(this, next, state.source());
    }

    private Channel bind(ListenerSettings s) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(runtime.boss(), runtime.workers())
                .channel(runtime.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        acceptedTotal.incrementAndGet();
                        counters.accepted.increment();
                        channels.add(ch);
                        BridgePipeline.client(ch, context, security);
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
        runtime.shutdownDrain().remove(this);
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

    /** @return the bound address, or null */
    public InetSocketAddress boundAddress() {
        return server == null ? null : (InetSocketAddress) server.localAddress();
    }

    // ---------------------------------------------------------------- management (Admin)

    /** @return the listener's metrics */
    public ListenerCounters counters() {
        return counters;
    }

    /** @return the listener's name (its configuration's instance name) */
    public String name() {
        return state.name();
    }

    /** @return true once deactivated (or stopped by the framework shutdown) */
    public boolean stopped() {
        return stopped;
    }

    /** @return running or failed, with the error text */
    public ListenerState state() {
        return state;
    }

    public ListenerSettings settings() {
        return settings;
    }

    /** @return true when the serving configuration has TLS ({@code tls-certificate} and {@code tls-key}) */
    public boolean tls() {
        return settings.tls != null;
    }

    /** @return the address clients connect to: the bound one, or the configured one while not bound */
    public String address() {
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
    public List<Connection> openConnections() {
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
    @Override
    public void healthDown() {
        healthDown = true;
    }

    /** @return true while draining or drained (not accepting) */
    public boolean isDraining() {
        return draining;
    }

    public long acceptedTotal() {
        return acceptedTotal.get();
    }

    public long upgradedTotal() {
        return upgradedTotal.get();
    }

    public long rejectedTotal() {
        return rejectedTotal.get();
    }

    /**
     * Stops accepting (closes the server socket) and closes the connections still open after
     * {@code timeoutMillis} with 1001. Called from the shell thread, never an event loop.
     *
     * @throws IllegalStateException when already draining
     */
    @Override
    public synchronized void drain(long timeoutMillis) {
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
        drainTimer = runtime.boss().schedule(this::drainTimeout, timeoutMillis, TimeUnit.MILLISECONDS);
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
    public synchronized void resume() throws InterruptedException {
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

    /** @return the TLS context and the connection limits (the tests read the limits) */
    /** @return the backends (ListenerChecks) */
    BackendRegistry backends() {
        return backends;
    }

    /** @return the runtime (ListenerChecks) */
    NettyRuntime runtime() {
        return runtime;
    }

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
        private final NettyRuntime runtime;
        private final FramerRegistry framers;
        private final BackendRegistry backends;
        private final ConnectionRegistry connections;
        private final AtomicLong upgradedTotal;
        private final AtomicLong rejectedTotal;
        private final RateLimitedLog rejections;
        /** For what changes while these settings serve: the metrics and the health (drain, backend). */
        private final Listener listener;

        Context(ListenerSettings settings, Listener l) {
            this.settings = settings;
            this.listener = l;
            this.security = l.security;
            this.runtime = l.runtime;
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
            return runtime.routeExecutor();
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
            return PeerConnector.connect(runtime, conn.clientChannel().eventLoop(), conn,
                    settings.connectTimeout * 1000, ch -> BridgePipeline.peer(ch, conn));
        }

        @Override
        public ListenerCounters counters() {
            return listener.counters;
        }

        @Override
        public String unhealthy() {
            return listener.unhealthy();
        }

        @Override
        public void serveFiles(ChannelPipeline p, ChannelHandler upgrade, StaticFileHandler files) {
            BridgePipeline.serveFiles(p, upgrade, files);
        }

        @Override
        public void nextRequest(ChannelPipeline p) {
            BridgePipeline.nextRequest(p, settings);
        }

        @Override
        public UpgradeHandler upgradeAfterFiles(ChannelPipeline p, StaticFileHandler files) {
            return BridgePipeline.upgradeAfterFiles(p, files, this);
        }

        @Override
        public void upgraded(ChannelPipeline p, Connection conn, Negotiation.Agreed deflate) {
            connections.add(conn);
            upgradedTotal.incrementAndGet();
            listener.counters.upgraded.increment();
            BridgePipeline.upgrade(p, conn, deflate);
        }

        @Override
        public void rejected(Channel ch, String request, int status, String cause) {
            rejectedTotal.incrementAndGet();
            listener.counters.rejected(status);
            if (ListenerChecks.isConfigurationProblem(status, cause)) {
                rejections.warn("{} {} {} -> {} {}", settings.name, ClientAddress.format(ClientAddress.of(ch)), request,
                        status, cause);
                return;
            }
            rejections.info("{} {} {} -> {} {}", settings.name, ClientAddress.format(ClientAddress.of(ch)), request,
                    status, cause);
        }
    }
}
