package io.websocksy.backend.redis.internal;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.websocksy.api.backend.BridgedConnection;
import io.websocksy.api.backend.HandshakeRequest;
import io.websocksy.api.backend.Route;
import io.websocksy.api.backend.RouteException;
import io.websocksy.api.backend.RouteWatch;
import io.websocksy.api.token.TokenRoutes;
import io.websocksy.api.token.TokenSource;

/**
 * One Redis backend instance's engine (no OSGi types): asynchronous {@code GET}s on a Lettuce connection
 * (never a blocking call; a stage that Lettuce or the timeout completes), and revocation from Redis
 * keyspace notifications on a second, pub/sub connection: on any event of a watched token's key except a
 * TTL change ({@code del}, {@code set}, {@code expired}, {@code evicted}, {@code rename_*}, ...) the key is
 * read again, and the connections routed by a value it no longer holds (deleted or changed) are closed
 * with 1008 {@code token revoked}. After every (re)connect the backend re-applies
 * {@code notify-keyspace-events} and re-checks the keys of all open connections, so changes made while
 * it was cut off still revoke.
 */
final class RedisRoutes implements AutoCloseable {
    /** Flags revocation needs: K keyspace channel, g generic (del, rename), $ strings (set), x expired, e evicted. */
    static final String NEEDED_FLAGS = "Kg$xe";
    private static final Set<String> NOT_A_CHANGE = Set.of("expire", "persist");
    private static final Logger LOG = LoggerFactory.getLogger(RedisBackendComponent.class);

    static {
        // Lettuce's JFR event recorder fails inside OSGi ("argument type mismatch" creating its events); the
        // property is read only by this bundle's private copy of Lettuce
        if (System.getProperty("io.lettuce.core.jfr") == null) {
            System.setProperty("io.lettuce.core.jfr", "false");
        }
    }

    private final RedisSettings s;
    private final String pid;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService timer;
    private final Outage outage;
    private volatile StatefulRedisConnection<String, String> conn;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile boolean closed;
    private volatile String notificationProblem;
    /** Token to its open connections, each with the value it was routed by. */
    private final Map<String, Map<BridgedConnection, String>> watched = new ConcurrentHashMap<>();

    RedisRoutes(RedisSettings s, String pid) {
        this.s = s;
        this.pid = pid;
        this.outage = new Outage(LOG, pid + ": Redis at " + s.where(), System::nanoTime);
        String name = "websocksy-redis-backend-" + s.name;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1).build();
        this.client = RedisClient.create(resources, s.uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(java.time.Duration.ofMillis(s.timeoutMillis)))
                .socketOptions(SocketOptions.builder().connectTimeout(java.time.Duration.ofMillis(
                        Math.max(s.timeoutMillis, 1000))).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (!closed && connection == conn) {
                    outage.up();
                    later(RedisRoutes.this::afterConnect);
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (!closed && connection == conn) {
                    outage.failed("connection lost");
                }
            }
        });
    }

    /** Connects in the background; look-ups get 503 until connected. */
    void start() {
        later(this::connect);
    }

    /**
     * Waits (off any event loop: the component's activation) until connected, at most {@code millis}, so
     * that the backend is published ready rather than answering 503 for its first moments.
     *
     * @return whether it is connected
     */
    boolean awaitConnected(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!connected() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        return connected();
    }

    private void later(Runnable r) {
        try {
            timer.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("{}: Redis client failed", pid, e);
                }
            });
        } catch (RejectedExecutionException stopped) {
            // closed
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connectAsync(StringCodec.UTF8, s.uri).whenComplete((c, t) -> {
            if (closed) {
                if (c != null) {
                    c.closeAsync();
                }
                return;
            }
            if (t != null) {
                outage.failed("cannot connect (" + message(t) + ")");
                try {
                    timer.schedule(() -> later(this::connect), 1, TimeUnit.SECONDS);
                } catch (RejectedExecutionException stopped) {
                    // closed
                }
                return;
            }
            conn = c;
            outage.up();
            LOG.info("{}: connected to Redis at {}", pid, s.where());
            later(this::subscribe);
            later(this::afterConnect);
        });
    }

    private void subscribe() {
        if (closed) {
            return;
        }
        client.connectPubSubAsync(StringCodec.UTF8, s.uri).whenComplete((p, t) -> {
            if (closed) {
                if (p != null) {
                    p.closeAsync();
                }
                return;
            }
            if (t != null) {
                LOG.debug("{}: pub/sub connect failed, retrying: {}", pid, message(t));
                try {
                    timer.schedule(this::subscribe, 1, TimeUnit.SECONDS);
                } catch (RejectedExecutionException stopped) {
                    // closed
                }
                return;
            }
            p.addListener(new RedisPubSubAdapter<String, String>() {
                @Override
                public void message(String pattern, String channel, String event) {
                    keyEvent(channel, event);
                }
            });
            pubsub = p;
            String pattern = "__keyspace@" + s.uri.getDatabase() + "__:" + glob(s.keyPrefix) + "*";
            p.async().psubscribe(pattern).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("{}: cannot subscribe to {}: {}; revocation is off until the next reconnect", pid, pattern,
                            message(e));
                } else {
                    LOG.info("{}: revocation: listening to keyspace notifications on {}", pid, pattern);
                }
            });
        });
    }

    /** Escapes Redis glob characters in the key prefix. */
    static String glob(String prefix) {
        StringBuilder b = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** On the timer thread after a (re)connect: notify-keyspace-events, then re-check every open connection's key. */
    private void afterConnect() {
        StatefulRedisConnection<String, String> c = conn;
        if (c == null || closed) {
            return;
        }
        c.async().configGet("notify-keyspace-events").whenComplete((m, t) -> {
            if (t != null && !c.isOpen()) {
                return; // disconnected again: the next connect checks
            }
            if (t != null) {
                notifications("cannot read notify-keyspace-events (" + message(t) + "): make sure it contains "
                        + NEEDED_FLAGS + " (or KA), else deleted tokens do not close their connections");
                return;
            }
            String current = m == null ? "" : String.valueOf(m.getOrDefault("notify-keyspace-events", ""));
            String missing = missing(current);
            if (missing.isEmpty()) {
                notificationProblem = null;
                return;
            }
            if (!s.configureNotifications) {
                notifications("notify-keyspace-events is '" + current + "' and lacks " + missing
                        + ": revocation needs " + NEEDED_FLAGS + " (configure-notifications = false)");
                return;
            }
            String next = current + missing;
            c.async().configSet("notify-keyspace-events", next).whenComplete((ok, e) -> {
                if (e != null) {
                    notifications("CONFIG SET notify-keyspace-events refused (" + message(e) + "): set it to contain "
                            + NEEDED_FLAGS + " on the server, else deleted tokens do not close their connections");
                } else {
                    notificationProblem = null;
                    LOG.info("{}: set notify-keyspace-events to '{}' (was '{}') for revocation", pid, next, current);
                }
            });
        });
        recheck();
    }

    private void notifications(String problem) {
        if (!problem.equals(notificationProblem)) {
            notificationProblem = problem;
            LOG.warn("{}: {}", pid, problem);
        }
    }

    /** @return the flags of {@link #NEEDED_FLAGS} that {@code current} lacks ({@code A} stands for g$lshzxet) */
    static String missing(String current) {
        StringBuilder b = new StringBuilder();
        boolean all = current.indexOf('A') >= 0;
        for (char f : NEEDED_FLAGS.toCharArray()) {
            boolean covered = current.indexOf(f) >= 0 || (all && f != 'K' && f != 'E' && f != 'm' && f != 'n');
            if (!covered) {
                b.append(f);
            }
        }
        return b.toString();
    }

    /** Re-reads the key of every open connection; a changed or deleted one revokes. */
    private void recheck() {
        StatefulRedisConnection<String, String> c = conn;
        if (c == null) {
            return;
        }
        for (String token : new ArrayList<>(watched.keySet())) {
            c.async().get(s.keyPrefix + token).whenComplete((v, t) -> {
                if (t == null) {
                    revokeUnless(token, v, "changed while disconnected");
                }
            });
        }
    }

    /** A keyspace notification: channel {@code __keyspace@DB__:KEY}, message the event. */
    void keyEvent(String channel, String event) {
        int colon = channel.indexOf(':');
        if (colon < 0 || NOT_A_CHANGE.contains(event)) {
            return;
        }
        String key = channel.substring(colon + 1);
        if (!key.startsWith(s.keyPrefix)) {
            return;
        }
        String token = key.substring(s.keyPrefix.length());
        if (!watched.containsKey(token)) {
            return;
        }
        // read the key now rather than trust the event: a notification can arrive after the look-up that saw its
        // result (the set that created a token must not revoke the connection it routed)
        StatefulRedisConnection<String, String> c = conn;
        if (c == null) {
            revokeUnless(token, null, event);
            return;
        }
        c.async().get(key).whenComplete((v, t) -> revokeUnless(token, t == null ? v : null, event));
    }

    /** Closes the token's connections whose value is not {@code still} (null: all of them). */
    private void revokeUnless(String token, String still, String why) {
        Map<BridgedConnection, String> m = watched.get(token);
        if (m == null) {
            return;
        }
        List<BridgedConnection> gone = new ArrayList<>();
        m.forEach((c, v) -> {
            if (still == null || !still.equals(v)) {
                gone.add(c);
            }
        });
        if (gone.isEmpty()) {
            return;
        }
        LOG.info("{}: token {} revoked ({}): closing {} connections", pid, TokenSource.hash(token), why, gone.size());
        for (BridgedConnection c : gone) {
            m.remove(c);
            c.close(1008, "token revoked");
        }
        watched.computeIfPresent(token, (k, v) -> v.isEmpty() ? null : v);
    }

    CompletionStage<Optional<Route>> route(HandshakeRequest request) {
        String token;
        try {
            token = s.token.require(request);
        } catch (RouteException e) {
            return CompletableFuture.failedFuture(e);
        }
        StatefulRedisConnection<String, String> c = conn;
        if (c == null || closed) {
            // not connected yet (or never): the connect attempts report the outage themselves
            return CompletableFuture.failedFuture(new RouteException(503, "Redis at " + s.where() + " is not connected"));
        }
        String hash = TokenSource.hash(token);
        CompletableFuture<String> get;
        try {
            get = c.async().get(s.keyPrefix + token).toCompletableFuture();
        } catch (RuntimeException e) {
            outage.failed(message(e));
            return CompletableFuture.failedFuture(new RouteException(503, "Redis at " + s.where() + ": " + message(e)));
        }
        return get.orTimeout(s.timeoutMillis, TimeUnit.MILLISECONDS).handle((value, t) -> {
            if (t != null) {
                Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                String why = cause instanceof TimeoutException || cause instanceof RedisCommandTimeoutException
                        ? "no answer within " + s.timeoutMillis + " ms" : message(cause);
                outage.failed(why);
                throw new RouteException(503, "Redis at " + s.where() + ": " + why);
            }
            outage.up();
            if (value == null) {
                throw new RouteException(404, "unknown token " + hash);
            }
            RouteValue rv;
            try {
                rv = RouteValue.parse(value);
            } catch (IllegalArgumentException e) {
                throw new RouteException(500, "value of key '" + s.keyPrefix + "<" + hash + ">' is malformed: "
                        + e.getMessage());
            }
            Route r = TokenRoutes.route(rv.peer, rv.framing != null ? rv.framing : s.framing,
                    rv.framingConfig != null ? rv.framingConfig : s.framingConfig,
                    rv.protocol != null ? rv.protocol : s.protocol, s.token.offers(request), s.peerProxy)
                    .watch(new Watch(token, value)).build();
            return Optional.of(r);
        });
    }

    /** Registers a routed connection under its token for revocation. */
    private final class Watch implements RouteWatch {
        private final String token;
        private final String value;

        Watch(String token, String value) {
            this.token = token;
            this.value = value;
        }

        @Override
        public void opened(BridgedConnection c) {
            watched.computeIfAbsent(token, k -> new ConcurrentHashMap<>()).put(c, value);
            // a change between the look-up and now sent its notification before we listened: read once more
            StatefulRedisConnection<String, String> rc = conn;
            if (rc != null) {
                rc.async().get(s.keyPrefix + token).whenComplete((v, t) -> {
                    if (t == null) {
                        revokeUnless(token, v, "changed during the handshake");
                    }
                });
            }
        }

        @Override
        public void ended(BridgedConnection c) {
            watched.computeIfPresent(token, (k, m) -> {
                m.remove(c);
                return m.isEmpty() ? null : m;
            });
        }

        @Override
        public String toString() {
            return "redis watch " + TokenSource.hash(token);
        }
    }

    int watchedConnections() {
        int n = 0;
        for (Map<BridgedConnection, String> m : watched.values()) {
            n += m.size();
        }
        return n;
    }

    boolean connected() {
        StatefulRedisConnection<String, String> c = conn;
        return c != null && c.isOpen();
    }

    /**
     * Asks Redis {@code PING} without blocking: the stage completes with Redis's answer, or fails at once when
     * not connected, or when the backend's {@code timeout} passes (Lettuce's command timeout).
     *
     * @return the answer ({@code PONG})
     */
    CompletableFuture<String> ping() {
        StatefulRedisConnection<String, String> c = conn;
        if (c == null || closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        try {
            return c.async().ping().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** @return where Redis is, for messages */
    String where() {
        return s.where();
    }

    /** @return the look-up timeout */
    long timeoutMillis() {
        return s.timeoutMillis;
    }

    static String message(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        if (p != null) {
            p.closeAsync();
        }
        StatefulRedisConnection<String, String> c = conn;
        if (c != null) {
            c.closeAsync();
        }
        try {
            client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debug("{}: Redis client shutdown: {}", pid, e.toString());
        }
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("{}: Redis client resources shutdown: {}", pid, e.toString());
        }
    }
}
