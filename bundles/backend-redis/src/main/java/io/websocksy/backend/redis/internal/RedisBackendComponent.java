package io.websocksy.backend.redis.internal;

import java.util.Dictionary;
import java.util.Hashtable;
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
    private RedisSettings settings; // guarded by this
    private ServiceRegistration<Backend> registration; // guarded by this

    @Activate
    synchronized void activate(BundleContext context, Config config, Map<String, Object> props) {
        pid = pidOf(props);
        RedisSettings s = validate(config, false);
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
        registration = context.registerService(Backend.class, this, serviceProperties(s));
        LOG.info("{}: Redis backend active: {}", pid, s.describe());
    }

    @Modified
    synchronized void modified(Config config, Map<String, Object> props) {
        pid = pidOf(props);
        RedisSettings s = validate(config, true);
        RedisRoutes old = routes;
        RedisRoutes r = new RedisRoutes(s, pid);
        routes = r;
        r.start();
        if (registration != null && !settings.name.equals(s.name)) {
            registration.setProperties(serviceProperties(s));
        }
        settings = s;
        old.close();
        LOG.info("{}: Redis backend modified: {}", pid, s.describe());
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered by the framework already
            }
            registration = null;
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

    private RedisSettings validate(Config c, boolean keeping) {
        try {
            return RedisSettings.parse(c, instanceOf(pid));
        } catch (IllegalArgumentException e) {
            String msg = pid + ": " + e.getMessage() + (keeping ? "; keeping the previous configuration" : "");
            LOG.error(msg);
            throw new IllegalArgumentException(msg, e);
        }
    }

    private static Dictionary<String, Object> serviceProperties(RedisSettings s) {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put(Backend.NAME, s.name);
        return d;
    }

    static String pidOf(Map<String, Object> props) {
        Object p = props.get("service.pid");
        return p == null ? PID : String.valueOf(p);
    }

    static String instanceOf(String pid) {
        int tilde = pid.indexOf('~');
        return tilde < 0 || tilde == pid.length() - 1 ? null : pid.substring(tilde + 1);
    }
}
