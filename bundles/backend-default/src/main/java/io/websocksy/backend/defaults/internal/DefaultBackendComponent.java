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
import io.websocksy.api.config.ConfigKeys;
import io.websocksy.backend.registration.BackendRegistration;

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
    private final BackendRegistration registration = new BackendRegistration(); // guarded by this
    private String pid = PID;                          // guarded by this
    private String source = PID;                       // file and PID for messages; guarded by this
    private BundleContext context;                     // guarded by this

    /**
     * Starts the backend; a configuration it cannot use leaves it active but unregistered (failed, one
     * error line) until a corrected configuration arrives.
     */
    @Activate
    synchronized void activate(BundleContext context, Config config, Map<String, Object> properties) {
        this.context = context;
        configured(properties);
        startOrFail(config, properties, "active");
    }

    /**
     * Applies a changed configuration. Everything is validated first; a bad value is logged once and leaves
     * the previous settings serving. A failed backend starts with a corrected configuration.
     */
    @Modified
    synchronized void modified(Config config, Map<String, Object> properties) {
        configured(properties);
        if (registration.failure() != null) {
            startOrFail(config, properties, "started after a configuration update");
            return;
        }
        DefaultRoute s;
        try {
            s = validate(config, properties);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping the previous configuration", BackendRegistration.named(source, e));
            return;
        }
        settings = s;
        registration.rename(s.name());
        LOG.info("{}: default backend modified: {}", pid, s.describe());
        FramingCheck.schedule(context, s, source, () -> settings == s);
    }

    private void configured(Map<String, Object> properties) {
        pid = pidOf(properties);
        source = ConfigKeys.source(properties, PID);
    }

    private void startOrFail(Config config, Map<String, Object> properties, String verb) {
        DefaultRoute s;
        try {
            s = validate(config, properties);
        } catch (IllegalArgumentException e) {
            String why = BackendRegistration.named(source, e);
            registration.failed(context, pid, why);
            LOG.error("default backend not started: {}", why);
            return;
        }
        settings = s;
        registration.register(context, this, s.name(), true); // route() answers from memory: may run on the network thread
        LOG.info("{}: default backend {}: {}", pid, verb, s.describe());
        FramingCheck.schedule(context, s, source, () -> settings == s);
    }

    /** @return the error of a failed configuration, or null while the backend runs (tests) */
    synchronized String failure() {
        return registration.failure();
    }

    @Deactivate
    synchronized void deactivate() {
        registration.unregister();
        LOG.info("{}: default backend stopped", pid);
    }

    @Override
    public CompletionStage<Optional<Route>> route(HandshakeRequest request) {
        return CompletableFuture.completedFuture(Optional.of(settings.route(request)));
    }

    /** @throws IllegalArgumentException naming the key and cause (not logged here) */
    private DefaultRoute validate(Config config, Map<String, Object> properties) {
        ConfigKeys.of(Config.class).check(source, properties);
        DefaultRoute s = DefaultRoute.parse(config);
        for (String w : s.warnings()) {
            LOG.warn("{}: {}", source, w);
        }
        return s;
    }

    private static String pidOf(Map<String, Object> properties) {
        Object p = properties.get("service.pid");
        if (p == null) {
            p = properties.get("component.name");
        }
        return p == null ? PID : String.valueOf(p);
    }
}
