package io.websocksy.backend.redis.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
import io.websocksy.api.config.ConfigKeys;
import io.websocksy.backend.registration.BackendRegistration;

/**
 * The Redis backend: one instance per {@code websocksy.backend.redis-<instance>.cfg}, each with its own
 * Lettuce client ({@link RedisRoutes}). A changed configuration replaces the client; connections routed
 * before keep running but are no longer revoked by the old client.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.websocksy.api.backend.Backend",
        uses = Backend.class)
@Component(configurationPid = RedisBackendComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = Config.class, factory = true)
public final class RedisBackendComponent implements Backend {
    static final String PID = "websocksy.backend.redis";
    private static final Logger LOG = LoggerFactory.getLogger(RedisBackendComponent.class);

    private volatile RedisRoutes routes;
    private volatile String pid = PID;
    private Map<String, Object> props = Map.of(); // the configuration being applied; guarded by this
    private String source = PID; // file and PID for messages; guarded by this
    private BundleContext context; // guarded by this
    private RedisSettings settings; // guarded by this
    private final BackendRegistration registration = new BackendRegistration(); // guarded by this
    private ServiceRegistration<?> health; // the Redis BackendHealth service; guarded by this

    /**
     * Starts the backend; a configuration it cannot use leaves it active but unregistered (failed, one
     * error line) until a corrected configuration arrives.
     */
    @Activate
    synchronized void activate(BundleContext context, Config config, Map<String, Object> props) {
        this.context = context;
        configured(props);
        startOrFail(config, "active");
        String instance = BackendRegistration.instanceOf(pid);
        health = RedisHealth.register(context, this, instance == null ? pid : instance);
    }

    /** Applies a changed configuration; a bad one is logged once and the previous one keeps serving. */
    @Modified
    synchronized void modified(Config config, Map<String, Object> props) {
        configured(props);
        if (registration.failure() != null) {
            startOrFail(config, "started after a configuration update");
            return;
        }
        RedisSettings s;
        try {
            s = parse(config);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping the previous configuration", BackendRegistration.named(source, e));
            return;
        }
        RedisRoutes old = routes;
        RedisRoutes r = new RedisRoutes(s, pid);
        routes = r;
        r.start();
        registration.rename(s.name);
        settings = s;
        old.close();
        LOG.info("{}: Redis backend modified: {}", pid, s.describe());
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
    private RedisSettings parse(Config config) {
        ConfigKeys.of(Config.class).check(source, props);
        return RedisSettings.parse(config, BackendRegistration.instanceOf(pid));
    }

    private void startOrFail(Config config, String verb) {
        RedisSettings s;
        try {
            s = parse(config);
        } catch (IllegalArgumentException e) {
            String why = BackendRegistration.named(source, e);
            registration.failed(context, pid, why);
            LOG.error("Redis backend not started: {}", why);
            return;
        }
        settings = s;
        RedisRoutes r = new RedisRoutes(s, pid);
        routes = r;
        r.start();
        try {
            // published once connected (or after the timeout, then answering 503 until Redis answers), so a
            // listener's health-path does not report ready before the routes can be read
            r.awaitConnected(Math.max(s.timeoutMillis, 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registration.register(context, this, s.name);
        LOG.info("{}: Redis backend {}: {}", pid, verb, s.describe());
    }

    /** @return the error of a failed configuration, or null while the backend runs (tests) */
    synchronized String failure() {
        return registration.failure();
    }

    /** @return the current engine, or null when stopped or failed (the health check) */
    RedisRoutes routes() {
        return routes;
    }

    @Deactivate
    synchronized void deactivate() {
        registration.unregister();
        if (health != null) {
            try {
                health.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it already
            }
            health = null;
        }
        RedisRoutes r = routes;
        routes = null;
        if (r != null) {
            r.close();
        }
        LOG.info("{}: Redis backend stopped", pid);
    }

    @Override
    public CompletionStage<Optional<Route>> route(HandshakeRequest request) {
        RedisRoutes r = routes;
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(pid + ": Redis backend stopped"));
        }
        return r.route(request);
    }
}
