package io.websocksy.backend.registration;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.websocksy.api.backend.Backend;

/**
 * A backend component's registration of itself as a {@link Backend} service under its configured
 * name: registered on activation, its {@link Backend#NAME} property changed when a reconfiguration
 * renames the backend (the bridge then sees the old name go and the new one come), unregistered on
 * deactivation, also when the framework has already unregistered it because the bundle is stopping.
 * <p>
 * One source compiled into each backend bundle (default, file) as a private package: plugins import
 * only the API, so this is not a bundle of its own. Not thread-safe: the components call it under
 * their own lock.
 */
public final class BackendRegistration {
    private ServiceRegistration<Backend> registration;
    private String name;

    /** Registers {@code backend} under {@code name}. */
    public void register(BundleContext context, Backend backend, String name) {
        this.name = name;
        registration = context.registerService(Backend.class, backend, properties(name));
    }

    /** Publishes {@code name} when it differs from the registered one; nothing before register. */
    public void rename(String name) {
        if (registration != null && !name.equals(this.name)) {
            registration.setProperties(properties(name));
            this.name = name;
        }
    }

    /** Withdraws the service; nothing when it was never registered or is already gone. */
    public void unregister() {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and the framework unregistered it already
        }
        registration = null;
    }

    private static Dictionary<String, Object> properties(String name) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Backend.NAME, name);
        return props;
    }
}
