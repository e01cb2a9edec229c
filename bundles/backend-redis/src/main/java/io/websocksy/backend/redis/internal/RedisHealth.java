package io.websocksy.backend.redis.internal;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.websocksy.api.backend.BackendHealth;

/**
 * The health of one Redis backend instance: healthy while Redis answers {@code PING} within the backend's
 * {@code timeout}; failing while it does not (its handshakes get 503). A failed configuration is reported by
 * the failure health that {@code BackendRegistration} publishes, so this one then only says Redis is not checked.
 * Registered as an API {@link BackendHealth} service, which the admin set's health check runs, so this
 * bundle needs no health-check library. The PING is asynchronous (Lettuce's event loop answers the stage);
 * nothing here blocks.
 */
final class RedisHealth implements BackendHealth {
    private final Supplier<String> failure;
    private final Supplier<RedisRoutes> routes;
    private final String instance;

    /**
     * @param failure  the backend's configuration error while it is failed, else null
     * @param routes   the backend's current engine, or null when stopped or failed
     * @param instance the configuration's instance name, for messages
     */
    RedisHealth(Supplier<String> failure, Supplier<RedisRoutes> routes, String instance) {
        this.failure = failure;
        this.routes = routes;
        this.instance = instance;
    }

    /**
     * @param context the backend bundle's context
     * @param backend the component
     * @param instance the configuration's instance name (stable across renames; the default name)
     * @return the registration, to unregister with the component
     */
    static ServiceRegistration<BackendHealth> register(BundleContext context, RedisBackendComponent backend,
            String instance) {
        return context.registerService(BackendHealth.class, new RedisHealth(backend::failure, backend::routes, instance),
                null);
    }

    @Override
    public CompletionStage<String> check() {
        if (failure.get() != null) {
            // the failed configuration is reported by the backend's own failure health (BackendRegistration)
            return CompletableFuture.completedFuture("Redis backend " + instance
                    + " not started (configuration error reported separately): Redis not checked");
        }
        RedisRoutes r = routes.get();
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis backend " + instance + " is stopped"));
        }
        long start = System.nanoTime();
        return r.ping().orTimeout(r.timeoutMillis() + 1000, TimeUnit.MILLISECONDS).handle((answer, t) -> {
            if (t == null) {
                double ms = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start) / 1000.0;
                return "Redis backend " + instance + ": Redis at " + r.where() + " answers PING (" + answer + ") in "
                        + String.format(Locale.ROOT, "%.3f", ms) + " ms";
            }
            Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
            String why = c instanceof TimeoutException ? "no answer within " + (r.timeoutMillis() + 1000) + " ms"
                    : RedisRoutes.message(c);
            throw new IllegalStateException("Redis backend " + instance + ": Redis at " + r.where()
                    + " does not answer PING: " + why + " (handshakes get 503)");
        });
    }
}
