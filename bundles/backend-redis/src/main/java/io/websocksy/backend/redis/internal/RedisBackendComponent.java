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
import io.websocksy.backend.registration.BackendLifecycle;
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
    private ServiceRegistration<?> health; // the Redis BackendHealth service; guarded by this
    private final BackendLifecycle<RedisSettings> lifecycle = new BackendLifecycle<>("Redis backend", PID,
            Config.class, LOG, this, false, new BackendLifecycle.Hooks<>() {
                @Override
                public void start(RedisSettings s) {
                    RedisRoutes r = new RedisRoutes(s, lifecycle.pid());
                    routes = r;
                    r.start();
                    try {
                        // published once connected (or after the timeout, then answering 503 until Redis answers), so
                        // a listener's health-path does not report ready before the routes can be read
                        r.awaitConnected(Math.max(s.timeoutMillis, 1000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void apply(RedisSettings s) {
                    RedisRoutes old = routes;
                    RedisRoutes r = new RedisRoutes(s, lifecycle.pid());
                    routes = r;
                    r.start();
                    old.close();
                }

                @Override
                public String name(RedisSettings s) {
                    return s.name;
                }

                @Override
                public String describe(RedisSettings s) {
                    return s.describe();
                }
            }); // guarded by this

    /**
     * Starts the backend; a configuration it cannot use leaves it active but unregistered (failed, one
     * error line) until a corrected configuration arrives ({@link BackendLifecycle}). Its Redis health is
     * published either way.
     */
    @Activate
    synchronized void activate(BundleContext context, Config config, Map<String, Object> props) {
        lifecycle.activate(context, props, instance -> RedisSettings.parse(config, instance));
        String instance = BackendRegistration.instanceOf(lifecycle.pid());
        health = RedisHealth.register(context, this, instance == null ? lifecycle.pid() : instance);
    }

    /** Applies a changed configuration; a bad one is logged once and the previous one keeps serving. */
    @Modified
    synchronized void modified(Config config, Map<String, Object> props) {
        lifecycle.modified(props, instance -> RedisSettings.parse(config, instance));
    }

    /** @return the error of a failed configuration, or null while the backend runs (tests, the health check) */
    synchronized String failure() {
        return lifecycle.failure();
    }

    /** @return the current engine, or null when stopped or failed (the health check) */
    RedisRoutes routes() {
        return routes;
    }

    @Deactivate
    synchronized void deactivate() {
        lifecycle.deactivate();
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
        LOG.info("{}: Redis backend stopped", lifecycle.pid());
    }

    @Override
    public CompletionStage<Optional<Route>> route(HandshakeRequest request) {
        RedisRoutes r = routes;
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(lifecycle.pid() + ": Redis backend stopped"));
        }
        return r.route(request);
    }
}
