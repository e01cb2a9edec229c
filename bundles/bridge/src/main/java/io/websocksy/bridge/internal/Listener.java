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
import io.websocksy.bridge.internal.handshake.ListenerContext;
import io.websocksy.bridge.internal.http.HttpHead;
import io.websocksy.bridge.internal.peer.PeerConnector;
import io.websocksy.bridge.internal.relay.Connection;
import io.websocksy.bridge.internal.runtime.BackendRegistry;
import io.websocksy.bridge.internal.runtime.ConnectionRegistry;
import io.websocksy.bridge.internal.runtime.FramerRegistry;
import io.websocksy.bridge.internal.runtime.NettyRuntime;
import io.websocksy.bridge.internal.runtime.RateLimitedLog;
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
public final class Listener {
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
            security.configure(s, runtime.scheduler());
        } catch (IllegalArgumentException e) {
            LOG.error("listener not started: {}", e.getMessage());
            throw e;
        }
        settings = s;
        context = new Context(s, this);
        try {
            server = bind(s);
        } catch (RuntimeException e) {
            security.close(); // stops the TLS reload check of a listener that never started
            throw e;
        }
        LOG.info("listener {} listening on {} ({}) - {}", s.name, server.localAddress(),
                runtime.isEpoll() ? "epoll" : "nio", s);
    }

    @Modified
    synchronized void modified(Map<String, Object> props) throws InterruptedException {
        ListenerSettings next;
        try {
            next = new ListenerSettings(props);
            security.configure(next, runtime.scheduler());
        } catch (IllegalArgumentException e) {
            LOG.error("listener {}: configuration rejected, previous one keeps serving: {}", settings.name,
                    e.getMessage());
            return;
        }
        ListenerSettings old = settings;
        if (draining) {
            // a configuration update ends a drain: bind again (docs/behaviour.md#management, BridgeAdmin.drain)
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
    public String name() {
        return settings.name;
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
    public synchronized void drain(long timeoutMillis) {
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
        private final NettyRuntime runtime;
        private final FramerRegistry framers;
        private final BackendRegistry backends;
        private final ConnectionRegistry connections;
        private final AtomicLong upgradedTotal;
        private final AtomicLong rejectedTotal;
        private final RateLimitedLog rejections;

        Context(ListenerSettings settings, Listener l) {
            this.settings = settings;
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
