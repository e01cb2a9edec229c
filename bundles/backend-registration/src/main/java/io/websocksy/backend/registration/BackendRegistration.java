package io.websocksy.backend.registration;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.BackendHealth;

/**
 * A backend component's registration of itself as a {@link Backend} service under its configured
 * name: registered on activation, its {@link Backend#NAME} property changed when a reconfiguration
 * renames the backend (the bridge then sees the old name go and the new one come), unregistered on
 * deactivation, also when the framework has already unregistered it because the bundle is stopping.
 * <p>
 * A configuration the backend cannot use does not fail the activation (SCR would keep the component in
 * FAILED ACTIVATION and ignore the corrected file, and log the error a second time): the component stays
 * active without a service, records the error here with {@link #failed}, and starts on the next
 * configuration update ({@link #failure} tells it so). While failed it publishes a {@link BackendHealth}
 * service that fails with the error (service properties {@link BackendHealth#PID} and {@link BackendHealth#FAILURE}),
 * so the health checks list the failed backend with its cause and the launcher agent can report the cause of
 * a bad command-line backend option.
 * <p>
 * One source compiled into each backend bundle (default, file, token, jwt, redis) as a private package:
 * plugins import only the API, so this is not a bundle of its own. Not thread-safe: the components call
 * it under their own lock.
 */
public final class BackendRegistration {
    private ServiceRegistration<Backend> registration;
    private String name;
    private String failure;
    private boolean inline;
    private ServiceRegistration<BackendHealth> failedHealth;

    /**
     * Registers {@code backend} under {@code name}, with {@link Backend#INLINE} when {@code inline}; withdraws a
     * published failure.
     *
     * @param inline true when the backend's {@code route()} never blocks
     */
    public void register(BundleContext context, Backend backend, String name, boolean inline) {
        this.name = name;
        failure = null;
        withdrawFailure();
        this.inline = inline;
        registration = context.registerService(Backend.class, backend, properties(name, inline));
    }

    /**
     * Records that the configuration could not be used and publishes the failure as a {@link BackendHealth}
     * service (replacing an earlier one); the backend is not registered.
     *
     * @param context the backend bundle's context
     * @param pid     the configuration's PID
     * @param why     the one-line error (file, key and cause), already logged by the component
     */
    public void failed(BundleContext context, String pid, String why) {
        failure = why;
        withdrawFailure();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(BackendHealth.PID, pid);
        props.put(BackendHealth.FAILURE, why);
        BackendHealth h = () -> CompletableFuture.failedFuture(new IllegalStateException("backend not started: " + why));
        failedHealth = context.registerService(BackendHealth.class, h, props);
    }

    /** @return the recorded error while the backend is failed (not registered), else null */
    public String failure() {
        return failure;
    }

    /**
     * @param source the configuration's file and PID ({@code ConfigKeys.source})
     * @param e the configuration error (its message names the key and cause)
     * @return the message, starting with {@code source} unless it already does
     */
    public static String named(String source, IllegalArgumentException e) {
        String m = e.getMessage();
        return m != null && m.startsWith(source) ? m : source + ": " + m;
    }

    /**
     * @param props a component's properties
     * @param factoryPid the component's configuration PID
     * @return the configuration's PID ({@code factoryPid~instance}), or {@code factoryPid} when absent
     */
    public static String pidOf(Map<String, Object> props, String factoryPid) {
        Object p = props.get("service.pid");
        return p == null ? factoryPid : String.valueOf(p);
    }

    /**
     * @param pid a factory configuration's PID
     * @return the instance name after {@code ~}, or null when there is none
     */
    public static String instanceOf(String pid) {
        int tilde = pid.indexOf('~');
        return tilde < 0 || tilde == pid.length() - 1 ? null : pid.substring(tilde + 1);
    }

    /** Publishes {@code name} when it differs from the registered one; nothing before register. */
    public void rename(String name) {
        if (registration != null && !name.equals(this.name)) {
            registration.setProperties(properties(name, inline));
            this.name = name;
        }
    }

    /** Withdraws the service (and a published failure); nothing when it was never registered or is already gone. */
    public void unregister() {
        withdrawFailure();
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

    private void withdrawFailure() {
        if (failedHealth == null) {
            return;
        }
        try {
            failedHealth.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and the framework unregistered it already
        }
        failedHealth = null;
    }

    private static Dictionary<String, Object> properties(String name, boolean inline) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Backend.NAME, name);
        if (inline) {
            props.put(Backend.INLINE, Boolean.TRUE);
        }
        return props;
    }
}
