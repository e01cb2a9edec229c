package io.websocksy.bridge.internal.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.bridge.internal.config.PropertyReader;

/**
 * Owns the event loops (epoll where available, NIO otherwise), the non-blocking DNS resolver, the
 * route executor that runs backend look-ups off the network threads and the scheduler for the TLS
 * reload checks. Named for what it holds: {@code api.peer.Transport} is the peer's transport. Listeners reference it
 * statically, so SCR stops every listener before the loops shut down.
 */
@Component(service = NettyRuntime.class, configurationPid = NettyRuntime.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = NettyRuntime.RuntimeConfig.class)
public final class NettyRuntime {
    /** Configuration PID. */
    public static final String PID = "websocksy.transport";
    private static final Logger LOG = LoggerFactory.getLogger(NettyRuntime.class);

    /** Metatype of the transport settings. */
    @ObjectClassDefinition(id = PID, name = "websocksy transport",
            description = "Event loops, DNS and the backend route executor shared by every listener.")
    public @interface RuntimeConfig {
        // Defaults and ranges: the attributes below and activate() both take them from here.
        /** Default of {@code epoll}. */
        boolean EPOLL = true;
        /** {@code worker-threads}: default, least, greatest. */
        int WORKER_THREADS = 0, WORKER_THREADS_MIN = 0, WORKER_THREADS_MAX = 1024;
        /** {@code route-threads}: default, least, greatest. */
        int ROUTE_THREADS = 4, ROUTE_THREADS_MIN = 1, ROUTE_THREADS_MAX = 1024;
        /** {@code dns-timeout}: default, least, greatest. */
        int DNS_TIMEOUT = 5000, DNS_TIMEOUT_MIN = 100, DNS_TIMEOUT_MAX = 600000;
        /** Default of {@code dns-servers}. */
        String DNS_SERVERS = "";
        /** {@code drain-delay} (seconds): default, least, greatest. */
        int DRAIN_DELAY = 0, DRAIN_DELAY_MIN = 0, DRAIN_DELAY_MAX = 3600;
        /** {@code drain-timeout} (seconds): default, least, greatest. */
        int DRAIN_TIMEOUT = 0, DRAIN_TIMEOUT_MIN = 0, DRAIN_TIMEOUT_MAX = 86400;

        /** @return whether to use epoll */
        @AttributeDefinition(name = "Use epoll", description = "Use the native epoll transport when it is available "
                + "(required for unix-dgram peers); NIO otherwise.")
        boolean epoll() default EPOLL;

        /** @return worker threads */
        @AttributeDefinition(name = "Worker threads", min = "" + WORKER_THREADS_MIN, max = "" + WORKER_THREADS_MAX,
                description = "Network threads; 0 means twice the number of cores.")
        int worker$_$threads() default WORKER_THREADS;

        /** @return route threads */
        @AttributeDefinition(name = "Route threads", min = "" + ROUTE_THREADS_MIN, max = "" + ROUTE_THREADS_MAX,
                description = "Threads that run backend route look-ups (which may block), off the network threads.")
        int route$_$threads() default ROUTE_THREADS;

        /** @return dns servers */
        @AttributeDefinition(name = "DNS servers", description = "Comma-separated ip:port name servers for peer "
                + "host names; empty means the system's (/etc/resolv.conf). /etc/hosts is always consulted first.")
        String dns$_$servers() default DNS_SERVERS;

        /** @return DNS query timeout */
        @AttributeDefinition(name = "DNS query timeout (ms)", min = "" + DNS_TIMEOUT_MIN, max = "" + DNS_TIMEOUT_MAX,
                description = "How long one DNS query may take before the peer connect fails (502).")
        int dns$_$timeout() default DNS_TIMEOUT;

        /** @return drain delay */
        @AttributeDefinition(name = "Drain delay (s)", min = "" + DRAIN_DELAY_MIN, max = "" + DRAIN_DELAY_MAX,
                description = "On SIGTERM (framework stop): health-path answers 503 at once, and new connections are "
                + "still accepted this long so that a load balancer notices; then the listeners stop accepting. "
                + "0 = stop accepting at once.")
        int drain$_$delay() default DRAIN_DELAY;

        /** @return drain timeout */
        @AttributeDefinition(name = "Drain timeout (s)", min = "" + DRAIN_TIMEOUT_MIN, max = "" + DRAIN_TIMEOUT_MAX,
                description = "On SIGTERM, after drain-delay: how long open connections may go on before they are "
                + "closed with 1001. With both 0 the stop is immediate (1001 at once).")
        int drain$_$timeout() default DRAIN_TIMEOUT;
    }

    private boolean epoll;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ExecutorService routeExecutor;
    private ScheduledExecutorService scheduler;
    private AddressResolverGroup<InetSocketAddress> resolver;
    private Path socketDir;
    private final AtomicInteger socketSeq = new AtomicInteger();

    /** Run by {@link ShutdownOrder} when the framework stops, before the listeners stop. */
    private ShutdownDrain shutdownDrain;

    @Activate
    public void activate(Map<String, Object> props) throws IOException {
        PropertyReader in = new PropertyReader(PID, TransportConfigGuard.accept(props));
        shutdownDrain = new ShutdownDrain(
                in.integer("drain-delay", RuntimeConfig.DRAIN_DELAY, RuntimeConfig.DRAIN_DELAY_MIN, RuntimeConfig.DRAIN_DELAY_MAX),
                in.integer("drain-timeout",
                        RuntimeConfig.DRAIN_TIMEOUT, RuntimeConfig.DRAIN_TIMEOUT_MIN, RuntimeConfig.DRAIN_TIMEOUT_MAX));
        boolean wantEpoll = in.bool("epoll", RuntimeConfig.EPOLL);
        int workerThreads = in.integer("worker-threads",
                RuntimeConfig.WORKER_THREADS, RuntimeConfig.WORKER_THREADS_MIN, RuntimeConfig.WORKER_THREADS_MAX);
        int routeThreads = in.integer("route-threads",
                RuntimeConfig.ROUTE_THREADS, RuntimeConfig.ROUTE_THREADS_MIN, RuntimeConfig.ROUTE_THREADS_MAX);
        int dnsTimeout = in.integer("dns-timeout",
                RuntimeConfig.DNS_TIMEOUT, RuntimeConfig.DNS_TIMEOUT_MIN, RuntimeConfig.DNS_TIMEOUT_MAX);
        List<InetSocketAddress> dnsServers = parseDnsServers(in.string("dns-servers", RuntimeConfig.DNS_SERVERS));

        epoll = wantEpoll && Epoll.isAvailable();
        if (wantEpoll && !epoll) {
            LOG.warn("epoll not available ({}); using NIO - unix-dgram peers will not work",
                    String.valueOf(Epoll.unavailabilityCause()));
        }
        if (epoll) {
            boss = new EpollEventLoopGroup(1, new DefaultThreadFactory("websocksy-accept", true));
            workers = new EpollEventLoopGroup(workerThreads, new DefaultThreadFactory("websocksy-io", true));
        } else {
            boss = new NioEventLoopGroup(1, new DefaultThreadFactory("websocksy-accept", true));
            workers = new NioEventLoopGroup(workerThreads, new DefaultThreadFactory("websocksy-io", true));
        }
        ThreadPoolExecutor exec = new ThreadPoolExecutor(routeThreads, routeThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), new DefaultThreadFactory("websocksy-route", true));
        exec.allowCoreThreadTimeOut(true);
        routeExecutor = exec;
        scheduler = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("websocksy-scheduler", true));

        DnsNameResolverBuilder dns = new DnsNameResolverBuilder()
                .channelType(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .socketChannelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .queryTimeoutMillis(dnsTimeout)
                .nameServerProvider(dnsServers.isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
                        : new SequentialDnsServerAddressStreamProvider(dnsServers));
        resolver = new DnsAddressResolverGroup(dns);

        socketDir = Files.createTempDirectory("websocksy-dgram-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        LOG.info("transport: {} with {} worker threads, {} route threads, DNS {}", epoll ? "epoll" : "nio",
                workerThreads == 0 ? "default" : String.valueOf(workerThreads), routeThreads,
                dnsServers.isEmpty() ? "system" : dnsServers);
    }

    static List<InetSocketAddress> parseDnsServers(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            PeerAddress a = PeerAddress.parse("udp://" + p).withDefaultPort(53);
            out.add(new InetSocketAddress(a.host(), a.port()));
        }
        return out;
    }

    @Deactivate
    public void deactivate() {
        resolver.close();
        routeExecutor.shutdownNow();
        scheduler.shutdownNow();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        boss.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(socketDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not clean {}", socketDir, e);
        }
    }

    /** @return the drain run when the framework stops (drain-delay, drain-timeout) */
    public ShutdownDrain shutdownDrain() {
        return shutdownDrain;
    }

    /** @return true when running on epoll */
    public boolean isEpoll() {
        return epoll;
    }

    public EventLoopGroup boss() {
        return boss;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public ExecutorService routeExecutor() {
        return routeExecutor;
    }

    /**
     * @return one thread shared by every listener for periodic work off the event loops that may touch
     *         files (the TLS reload check)
     */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public AddressResolverGroup<InetSocketAddress> resolver() {
        return resolver;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> tcpChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends DatagramChannel> udpChannel() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /** @return the unix stream channel class for this transport */
    public Class<? extends Channel> unixChannel() {
        return epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
    }

    /** @return the unix datagram channel class, or null when unavailable (NIO) */
    public Class<? extends Channel> unixDatagramChannel() {
        return epoll ? EpollDomainDatagramChannel.class : null;
    }

    /** @return the socket address of a unix peer in this transport's address type */
    public java.net.SocketAddress unixAddress(String path) {
        return epoll ? new DomainSocketAddress(path) : java.net.UnixDomainSocketAddress.of(path);
    }

    /** @return a fresh private path for the local end of a unix-dgram bridge (removed when it closes) */
    public String newDatagramSocketPath() {
        return socketDir.resolve("b" + socketSeq.incrementAndGet() + ".sock").toString();
    }
}
