package io.websocksy.bridge.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        @AttributeDefinition(name = "Port", min = "0", max = "65535")
        int port() default 8001;

        /** @return ping */
        @AttributeDefinition(name = "Ping interval (s)", min = "0", description = "Send a ping after this many "
                + "seconds without traffic from the client; close when the next interval passes silently. 0 = off.")
        int ping() default 30;

        /** @return backend */
        @AttributeDefinition(name = "Backend", description = "Name of the backend instance that routes this "
                + "listener's connections; 503 while none of that name runs.")
        String backend() default "main";

        /** @return handshake timeout */
        @AttributeDefinition(name = "Handshake timeout (s)", min = "1", description = "Counted from TCP accept.")
        int handshake$_$timeout() default 10;

        /** @return max request line */
        @AttributeDefinition(name = "Max request line (bytes)", min = "64", description = "Longer: 414.")
        int max$_$request$_$line() default 4096;

        /** @return max header size */
        @AttributeDefinition(name = "Max header section (bytes)", min = "256", description = "Larger: 431.")
        int max$_$header$_$size() default 8192;

        /** @return max headers */
        @AttributeDefinition(name = "Max header fields", min = "8", description = "More: 431.")
        int max$_$headers() default 100;

        /** @return max frame */
        @AttributeDefinition(name = "Max frame payload (bytes)", min = "125", description = "Checked from the "
                + "frame header; larger: close 1009.")
        int max$_$frame$_$size() default 1048576;

        /** @return max message */
        @AttributeDefinition(name = "Max message (bytes)", min = "1024", description = "Messages held whole "
                + "(datagram peers) and the peer-side framer buffer; larger: close 1009.")
        int max$_$message$_$size() default 1048576;

        /** @return connect timeout */
        @AttributeDefinition(name = "Connect timeout (s)", min = "1", description = "Route look-up, DNS and peer "
                + "connect; longer: 504.")
        int connect$_$timeout() default 10;

        /** @return max subprotocols */
        @AttributeDefinition(name = "Max subprotocols offered", min = "1", description = "More distinct "
                + "Sec-WebSocket-Protocol tokens in one request: 400.")
        int max$_$subprotocols() default 32;

        /** @return write timeout */
        @AttributeDefinition(name = "Write stall timeout (s)", min = "1", description = "A side that stays "
                + "unwritable this long is closed with 1001.")
        int write$_$timeout() default 60;
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
    private final RateLimitedLog rejections = new RateLimitedLog(LoggerFactory.getLogger("io.websocksy.handshake"), 20);
    private volatile ListenerSettings settings;
    private Channel server;

    @Activate
    void activate(Map<String, Object> props) throws InterruptedException {
        ListenerSettings s;
        try {
            s = new ListenerSettings(props);
        } catch (IllegalArgumentException e) {
            LOG.error("listener not started: {}", e.getMessage());
            throw e;
        }
        settings = s;
        server = bind(s);
        LOG.info("listener {} listening on {} ({}) - {}", s.name, server.localAddress(),
                transport.isEpoll() ? "epoll" : "nio", s);
    }

    @Modified
    void modified(Map<String, Object> props) throws InterruptedException {
        ListenerSettings next;
        try {
            next = new ListenerSettings(props);
        } catch (IllegalArgumentException e) {
            LOG.error("listener {}: configuration rejected, previous one keeps serving: {}", settings.name,
                    e.getMessage());
            return;
        }
        ListenerSettings old = settings;
        if (!next.sameAddress(old)) {
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
                        ListenerSettings cur = settings;
                        channels.add(ch);
                        ch.pipeline().addLast(ListenerPipelines.HTTP,
                                new HttpHeadDecoder(cur.maxRequestLine, cur.maxHeaderSize, cur.maxHeaders));
                        ch.pipeline().addLast(ListenerPipelines.UPGRADE, new UpgradeHandler(Listener.this, cur));
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
    void deactivate() {
        ListenerSettings s = settings;
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
        LOG.info("listener {} stopped ({} connections closed with 1001)", s.name, mine.size());
    }

    void rejected(Channel ch, String request, int status, String cause) {
        rejections.info("{} {} {} -> {} {}", settings.name, ch.remoteAddress(), request, status, cause);
    }

    /** @return the bound address, or null */
    public InetSocketAddress boundAddress() {
        return server == null ? null : (InetSocketAddress) server.localAddress();
    }

    Transport transport() {
        return transport;
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
