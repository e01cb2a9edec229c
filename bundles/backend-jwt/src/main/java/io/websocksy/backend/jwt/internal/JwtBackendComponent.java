package io.websocksy.backend.jwt.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.BridgedConnection;
import io.websocksy.api.backend.HandshakeRequest;
import io.websocksy.api.backend.Route;
import io.websocksy.api.backend.RouteException;
import io.websocksy.api.backend.RouteWatch;
import io.websocksy.backend.registration.BackendLifecycle;
import io.websocksy.api.token.TokenRoutes;

/**
 * The signed-token backend: one instance per {@code websocksy.backend.jwt-<instance>.cfg}. A look-up is a
 * signature check and a few comparisons (CPU only, on the bridge's route executor); the key file is
 * re-read by this instance's own thread when it changes. With {@code expiry = close} a
 * {@link RouteWatch} closes the connection with 1008 {@code token expired} when {@code exp} passes.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.websocksy.api.backend.Backend",
        uses = Backend.class)
@Component(configurationPid = JwtBackendComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = Config.class, factory = true)
public final class JwtBackendComponent implements Backend {
    static final String PID = "websocksy.backend.jwt";
    static final long CHECK_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(JwtBackendComponent.class);

    private volatile JwtSettings settings;
    private volatile JwtVerifier verifier;
    private ScheduledExecutorService timer; // guarded by this
    private final BackendLifecycle<JwtSettings> lifecycle = new BackendLifecycle<>("JWT backend", PID,
            Config.class, LOG, this, false, new BackendLifecycle.Hooks<>() {
                @Override
                public void start(JwtSettings s) {
                    JwtBackendComponent.this.start(s);
                }

                @Override
                public void apply(JwtSettings s) {
                    ScheduledExecutorService old = timer;
                    JwtBackendComponent.this.start(s);
                    if (old != null) {
                        old.shutdownNow(); // pending expiry closes of open connections go with it; new ones use the new timer
                    }
                }

                @Override
                public String name(JwtSettings s) {
                    return s.name;
                }

                @Override
                public String describe(JwtSettings s) {
                    return s.describe() + "; " + keysKind() + " with algorithms " + verifier.allowed();
                }
            }); // guarded by this
    private String keyStamp; // touched under this or by the timer thread only
    private String keyProblem;
    private final Map<BridgedConnection, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();

    /**
     * Starts the backend; a configuration it cannot use (a bad value, an unreadable key) leaves it active but
     * unregistered (failed, one error line) until a corrected configuration arrives ({@link BackendLifecycle}).
     */
    @Activate
    synchronized void activate(BundleContext context, Config config, Map<String, Object> props) {
        lifecycle.activate(context, props, instance -> JwtSettings.parse(config, instance));
    }

    /** Applies a changed configuration; a bad one is logged once and the previous one keeps serving. */
    @Modified
    synchronized void modified(Config config, Map<String, Object> props) {
        lifecycle.modified(props, instance -> JwtSettings.parse(config, instance));
    }

    /** @return the error of a failed configuration, or null while the backend runs (tests) */
    synchronized String failure() {
        return lifecycle.failure();
    }

    @Deactivate
    synchronized void deactivate() {
        lifecycle.deactivate();
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        expiries.clear();
        LOG.info("{}: JWT backend stopped", lifecycle.pid());
    }

    private String keysKind() {
        return "key " + settings.key;
    }

    /** Reads the key and builds the verifier; throws (naming the problem, not logged) when either is unusable. */
    private void start(JwtSettings s) {
        JwtVerifier v;
        String stamp;
        try {
            stamp = stamp(s);
            v = new JwtVerifier(s, JwtKeys.read(s.key));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("key = " + s.key + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("key = " + s.key + ": cannot read: " + e.getMessage(), e);
        }
        settings = s;
        verifier = v;
        keyStamp = stamp;
        keyProblem = null;
        String name = "websocksy-jwt-backend-" + s.name;
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, name);
            th.setDaemon(true);
            return th;
        });
        t.scheduleWithFixedDelay(() -> reload(s), CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        timer = t;
    }

    private static String stamp(JwtSettings s) throws IOException {
        BasicFileAttributes a = Files.readAttributes(s.key, BasicFileAttributes.class);
        return a.size() + "|" + a.lastModifiedTime().toMillis();
    }

    /** On the timer thread: re-reads the key file when it changed; a bad new key keeps the old one. */
    void reload(JwtSettings s) {
        String st;
        try {
            st = stamp(s);
        } catch (IOException e) {
            problem("key file " + s.key + " cannot be read (" + e + "); keeping the key read before");
            return;
        }
        if (st.equals(keyStamp)) {
            return;
        }
        try {
            JwtVerifier v = new JwtVerifier(s, JwtKeys.read(s.key));
            verifier = v;
            keyStamp = st;
            keyProblem = null;
            LOG.info("{}: key file {} re-read; algorithms {}", lifecycle.pid(), s.key, v.allowed());
        } catch (IOException | IllegalArgumentException e) {
            keyStamp = st;
            problem(e.getMessage() + "; keeping the key read before");
        }
    }

    private void problem(String m) {
        if (!m.equals(keyProblem)) {
            keyProblem = m;
            LOG.warn("{}: {}", lifecycle.pid(), m);
        }
    }

    @Override
    public CompletionStage<Optional<Route>> route(HandshakeRequest request) {
        JwtSettings s = settings;
        JwtVerifier v = verifier;
        JwtVerifier.Verified ok;
        try {
            ok = v.verify(s.token.require(request), System.currentTimeMillis());
        } catch (RouteException e) {
            return CompletableFuture.failedFuture(e);
        }
        Route.Builder b = TokenRoutes.route(ok.peer, ok.framing != null ? ok.framing : s.framing,
                ok.framingConfig != null ? ok.framingConfig : s.framingConfig,
                ok.protocol != null ? ok.protocol : s.protocol, s.token.offers(request), s.peerProxy);
        if (s.closeOnExpiry && ok.expiresAt > 0) {
            b.watch(new ExpiryWatch(ok.expiresAt));
        }
        return CompletableFuture.completedFuture(Optional.of(b.build()));
    }

    /** Closes a connection with 1008 when its token expires. */
    private final class ExpiryWatch implements RouteWatch {
        private final long at;

        ExpiryWatch(long at) {
            this.at = at;
        }

        @Override
        public void opened(BridgedConnection c) {
            ScheduledExecutorService t;
            synchronized (JwtBackendComponent.this) {
                t = timer;
            }
            if (t == null) {
                return;
            }
            long delay = Math.max(0, at - System.currentTimeMillis());
            try {
                expiries.put(c, t.schedule(() -> {
                    expiries.remove(c);
                    LOG.info("{}: connection #{} closed: token expired", lifecycle.pid(), c.id());
                    c.close(1008, "token expired");
                }, delay, TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the backend is being reconfigured or stopped
            }
        }

        @Override
        public void ended(BridgedConnection c) {
            ScheduledFuture<?> f = expiries.remove(c);
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** For tests. */
    JwtVerifier verifier() {
        return verifier;
    }
}
