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
import io.websocksy.api.config.ConfigKeys;
import io.websocksy.api.token.TokenRoutes;
import io.websocksy.api.token.TokenSource;
import io.websocksy.backend.registration.BackendRegistration;

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
    private volatile String pid = PID;
    private Map<String, Object> props = Map.of(); // the configuration being applied; guarded by this
    private String source = PID; // file and PID for messages; guarded by this
    private BundleContext context; // guarded by this
    private ScheduledExecutorService poller; // guarded by this
    private final BackendRegistration registration = new BackendRegistration(); // guarded by this
    private String sourceProblem; // last reported unreadable-source message, touched by the poller only

    /**
     * Starts the backend; a configuration it cannot use leaves it active but unregistered (failed, one
     * error line) until a corrected configuration arrives.
     */
    @Activate
    synchronized void activate(BundleContext context, Config config, Map<String, Object> props) {
        this.context = context;
        configured(props);
        startOrFail(config, "active");
    }

    /** Applies a changed configuration; a bad one is logged once and the previous one keeps serving. */
    @Modified
    synchronized void modified(Config config, Map<String, Object> props) {
        configured(props);
        if (registration.failure() != null) {
            startOrFail(config, "started after a configuration update");
            return;
        }
        TokenSettings s;
        try {
            s = parse(config);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping the previous configuration", BackendRegistration.named(source, e));
            return;
        }
        stop();
        start(s);
        registration.rename(s.name);
        LOG.info("{}: token backend modified: {} ({} tokens)", pid, s.describe(), table.size());
    }

    @Deactivate
    synchronized void deactivate() {
        registration.unregister();
        stop();
        LOG.info("{}: token backend stopped", pid);
    }

    private void configured(Map<String, Object> props) {
        this.props = props;
        pid = BackendRegistration.pidOf(props, PID);
        source = ConfigKeys.source(props, PID);
    }

    /**
     * Checks the configuration's keys against the metatype ({@code Config}: an unknown or misspelt key is an
     * error naming the file, the key and the closest known key), then parses it.
     *
     * @throws IllegalArgumentException naming the key and cause
     */
    private TokenSettings parse(Config config) {
        ConfigKeys.of(Config.class).check(source, props);
        return TokenSettings.parse(config, BackendRegistration.instanceOf(pid));
    }

    private void startOrFail(Config config, String verb) {
        TokenSettings s;
        try {
            s = parse(config);
        } catch (IllegalArgumentException e) {
            String why = BackendRegistration.named(source, e);
            registration.failed(context, pid, why);
            LOG.error("token backend not started: {}", why);
            return;
        }
        start(s);
        registration.register(context, this, s.name);
        LOG.info("{}: token backend {}: {} ({} tokens)", pid, verb, s.describe(), table.size());
    }

    /** @return the error of a failed configuration, or null while the backend runs (tests) */
    synchronized String failure() {
        return registration.failure();
    }

    private void start(TokenSettings s) {
        TokenTable t = new TokenTable(s.source, m -> LOG.warn("{}: {}", pid, m));
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
                LOG.info("{}: token source {} re-read: {} tokens", pid, s.source, t.size());
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
                LOG.info("{}: token source readable again", pid);
                sourceProblem = null;
            }
            return changed;
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage();
            if (!String.valueOf(m).equals(sourceProblem)) {
                sourceProblem = String.valueOf(m);
                LOG.warn("{}: cannot read the token source: {}; serving the {} tokens read before", pid, m, t.size());
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
        LOG.debug("{}: token {} -> {} ({})", pid, TokenSource.hash(token), e.peer, e.where);
        return CompletableFuture.completedFuture(Optional.of(r));
    }

    /** For tests: the current table. */
    TokenTable table() {
        return table;
    }
}
