package io.websocksy.backend.token.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import io.websocksy.api.backend.HandshakeRequest;
import io.websocksy.api.backend.Route;
import io.websocksy.api.backend.RouteException;
import io.websocksy.api.token.TokenRoutes;
import io.websocksy.api.token.TokenSource;
import io.websocksy.backend.registration.BackendLifecycle;

/**
 * The token-file backend: one instance per {@code websocksy.backend.token-<instance>.cfg}. Tokens are
 * held in memory and re-read by this instance's own thread when the files change (checked every
 * {@value #CHECK_MILLIS} ms), so a look-up never touches the disk and never blocks.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.websocksy.api.backend.Backend",
        uses = Backend.class)
@Component(configurationPid = TokenBackendComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = Config.class, factory = true)
public final class TokenBackendComponent implements Backend {
    static final String PID = "websocksy.backend.token";
    static final long CHECK_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(TokenBackendComponent.class);

    private volatile TokenSettings settings;
    private volatile TokenTable table;
    private ScheduledExecutorService poller; // guarded by this
    private final BackendLifecycle<TokenSettings> lifecycle = new BackendLifecycle<>("token backend", PID,
            Config.class, LOG, this, false, new BackendLifecycle.Hooks<>() {
                @Override
                public void start(TokenSettings s) {
                    TokenBackendComponent.this.start(s);
                }

                @Override
                public void apply(TokenSettings s) {
                    stop();
                    TokenBackendComponent.this.start(s);
                }

                @Override
                public String name(TokenSettings s) {
                    return s.name;
                }

                @Override
                public String describe(TokenSettings s) {
                    return s.describe() + " (" + table.size() + " tokens)";
                }
            }); // guarded by this
    private String sourceProblem; // last reported unreadable-source message, touched by the poller only

    /**
     * Starts the backend; a configuration it cannot use leaves it active but unregistered (failed, one
     * error line) until a corrected configuration arrives ({@link BackendLifecycle}).
     */
    @Activate
    synchronized void activate(BundleContext context, Config config, Map<String, Object> props) {
        lifecycle.activate(context, props, instance -> TokenSettings.parse(config, instance));
    }

    /** Applies a changed configuration; a bad one is logged once and the previous one keeps serving. */
    @Modified
    synchronized void modified(Config config, Map<String, Object> props) {
        lifecycle.modified(props, instance -> TokenSettings.parse(config, instance));
    }

    @Deactivate
    synchronized void deactivate() {
        lifecycle.deactivate();
        stop();
        LOG.info("{}: token backend stopped", lifecycle.pid());
    }

    /** @return the error of a failed configuration, or null while the backend runs (tests) */
    synchronized String failure() {
        return lifecycle.failure();
    }

    private void start(TokenSettings s) {
        TokenTable t = new TokenTable(s.source, m -> LOG.warn("{}: {}", lifecycle.pid(), m));
        settings = s;
        table = t;
        check(t);
        String threadName = "websocksy-token-backend-" + s.name;
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, threadName);
            th.setDaemon(true);
            return th;
        });
        poller.scheduleWithFixedDelay(() -> {
            if (check(t)) {
                LOG.info("{}: token source {} re-read: {} tokens", lifecycle.pid(), s.source, t.size());
            }
        }, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void stop() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }

    /** Refreshes the table; reports an unreadable source once until it is readable again. */
    private boolean check(TokenTable t) {
        try {
            boolean changed = t.refresh();
            if (sourceProblem != null) {
                LOG.info("{}: token source readable again", lifecycle.pid());
                sourceProblem = null;
            }
            return changed;
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage();
            if (!String.valueOf(m).equals(sourceProblem)) {
                sourceProblem = String.valueOf(m);
                LOG.warn("{}: cannot read the token source: {}; serving the {} tokens read before", lifecycle.pid(), m, t.size());
            }
            return false;
        }
    }

    @Override
    public CompletionStage<Optional<Route>> route(HandshakeRequest request) {
        TokenSettings s = settings;
        TokenTable t = table;
        String token;
        try {
            token = s.token.require(request);
        } catch (RouteException e) {
            return CompletableFuture.failedFuture(e);
        }
        TokenFile.Entry e = t.lookup(token);
        if (e == null) {
            return CompletableFuture.failedFuture(new RouteException(404, "unknown token " + TokenSource.hash(token)));
        }
        Route r = TokenRoutes.route(e.peer, s.framing, s.framingConfig, s.protocol, s.token.offers(request),
                s.peerProxy).build();
        LOG.debug("{}: token {} -> {} ({})", lifecycle.pid(), TokenSource.hash(token), e.peer, e.where);
        return CompletableFuture.completedFuture(Optional.of(r));
    }

    /** For tests: the current table. */
    TokenTable table() {
        return table;
    }
}
