package io.websocksy.backend.defaults.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
import io.websocksy.backend.registration.BackendLifecycle;

/**
 * The default backend (docs/behaviour.md#backends, #handshake): every connection goes to the same peer. One instance per factory
 * configuration {@code websocksy.backend.default~<instance>}.
 *
 * <p>The component registers its {@link Backend} service itself rather than through DS: the user-facing
 * key is {@code name}, but the bridge finds backends by the service property {@link Backend#NAME}, and a
 * {@code @Modified} that rejects a bad value must leave that property alone (SCR would still update
 * DS-managed service properties after a failed modify). {@code @Capability} still declares the service in
 * the manifest, as DS would, for resolvers and repository indexes.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.websocksy.api.backend.Backend",
        uses = Backend.class)
@Component(
        configurationPid = DefaultBackendComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true,
        service = {})
@Designate(ocd = Config.class, factory = true)
public final class DefaultBackendComponent implements Backend {
    static final String PID = "websocksy.backend.default";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultBackendComponent.class);

    /** The current settings; replaced as a whole, read without locking by {@link #route}. */
    private volatile DefaultRoute settings;
    private final BackendLifecycle<DefaultRoute> lifecycle = new BackendLifecycle<>("default backend", PID,
            Config.class, LOG, this, true, // route() answers from memory: may run on the network thread
            new BackendLifecycle.Hooks<>() {
                @Override
                public void start(DefaultRoute s) {
                    apply(s);
                }

                @Override
                public void apply(DefaultRoute s) {
                    settings = s;
                    FramingCheck.schedule(lifecycle.context(), s, lifecycle.source(), () -> settings == s);
                }

                @Override
                public String name(DefaultRoute s) {
                    return s.name();
                }

                @Override
                public String describe(DefaultRoute s) {
                    return s.describe();
                }
            }); // guarded by this

    /**
     * Starts the backend; a configuration it cannot use leaves it active but unregistered (failed, one
     * error line) until a corrected configuration arrives ({@link BackendLifecycle}).
     */
    @Activate
    synchronized void activate(BundleContext context, Config config, Map<String, Object> properties) {
        lifecycle.activate(context, properties, instance -> parse(config));
    }

    /**
     * Applies a changed configuration. Everything is validated first; a bad value is logged once and leaves
     * the previous settings serving. A failed backend starts with a corrected configuration.
     */
    @Modified
    synchronized void modified(Config config, Map<String, Object> properties) {
        lifecycle.modified(properties, instance -> parse(config));
    }

    /** @return the error of a failed configuration, or null while the backend runs (tests) */
    synchronized String failure() {
        return lifecycle.failure();
    }

    @Deactivate
    synchronized void deactivate() {
        lifecycle.deactivate();
        LOG.info("{}: default backend stopped", lifecycle.pid());
    }

    @Override
    public CompletionStage<Optional<Route>> route(HandshakeRequest request) {
        return CompletableFuture.completedFuture(Optional.of(settings.route(request)));
    }

    /** @throws IllegalArgumentException naming the key and cause (not logged here) */
    private DefaultRoute parse(Config config) {
        DefaultRoute s = DefaultRoute.parse(config);
        for (String w : s.warnings()) {
            LOG.warn("{}: {}", lifecycle.source(), w);
        }
        return s;
    }
}
