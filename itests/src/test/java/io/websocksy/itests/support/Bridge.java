package io.websocksy.itests.support;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.BackendHealth;
import io.websocksy.api.framer.Framer;

/**
 * Per-test fixture inside the framework: creates listener and backend configurations through
 * ConfigurationAdmin, registers test backends, tracks test peers, and undoes all of it in
 * {@link #close()} so the next test starts clean. Names are unique per test.
 */
public final class Bridge implements AutoCloseable {
    public static final String LISTENER_PID = "websocksy.listener";
    public static final String DEFAULT_BACKEND_PID = "websocksy.backend.default";
    public static final String FILE_BACKEND_PID = "websocksy.backend.file";
    public static final Duration READY = Duration.ofSeconds(15);

    private static final AtomicInteger SEQ = new AtomicInteger();

    private final BundleContext ctx;
    private final ConfigurationAdmin cm;
    private final List<Configuration> configs = new ArrayList<>();
    private final List<Integer> listenerPorts = new ArrayList<>();
    private final List<Configuration> listenerConfigs = new ArrayList<>();
    private final List<String> backendNames = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    public Bridge(BundleContext ctx, ConfigurationAdmin cm) {
        Leaks.watch();
        this.ctx = ctx;
        this.cm = cm;
    }

    /** @return a name unique within this JVM */
    public static String uniqueName(String prefix) {
        return prefix + SEQ.incrementAndGet();
    }

    /**
     * Waits until framer services with the given names are registered.
     *
     * @param names framer names, e.g. {@code auto}
     */
    public void awaitFramers(String... names) {
        for (String n : names) {
            Poll.until(READY, "framer '" + n + "' service", () -> hasService(Framer.class.getName(),
                    "(" + Framer.NAME + "=" + n + ")"));
        }
    }

    /**
     * Creates a default-backend factory configuration and waits for its service.
     *
     * @param host the peer address, e.g. {@code tcp://127.0.0.1:9000}
     * @param keyValues further keys and values: {@code "framing", "binary", ...}
     * @return the backend's name
     */
    public String defaultBackend(String host, String... keyValues) throws IOException {
        String name = uniqueName("be");
        Map<String, Object> props = map(keyValues);
        props.put("name", name);
        props.put("host", host);
        create(DEFAULT_BACKEND_PID, name, props);
        backendNames.add(name);
        Poll.until(READY, "backend service " + name, () -> hasService(Backend.class.getName(),
                "(" + Backend.NAME + "=" + name + ")"));
        return name;
    }

    /**
     * Creates a file-backend factory configuration (docs/behaviour.md#backends, #relay) and waits for its service.
     *
     * @param path the base directory
     * @param expressions the templates, in order (a ConfigAdmin String[])
     * @return the backend's name
     */
    public String fileBackend(String path, String... expressions) throws IOException {
        String name = uniqueName("fb");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("name", name);
        props.put("path", path);
        props.put("expression", expressions);
        create(FILE_BACKEND_PID, name, props);
        backendNames.add(name);
        Poll.until(READY, "file backend service " + name, () -> hasService(Backend.class.getName(),
                "(" + Backend.NAME + "=" + name + ")"));
        return name;
    }

    /**
     * Creates a factory configuration of any backend (token, Redis, JWT ...) and waits for its service.
     *
     * @param factoryPid e.g. {@code websocksy.backend.token}
     * @param keyValues its keys and values ({@code name} is set here)
     * @return the backend's name
     */
    public String backend(String factoryPid, String... keyValues) throws IOException {
        String name = uniqueName("bk");
        Map<String, Object> props = map(keyValues);
        props.put("name", name);
        create(factoryPid, name, props);
        backendNames.add(name);
        Poll.until(READY, factoryPid + " service " + name, () -> hasService(Backend.class.getName(),
                "(" + Backend.NAME + "=" + name + ")"));
        return name;
    }

    /**
     * Creates a backend factory configuration that the backend refuses, and waits until the backend publishes
     * its failure (a {@code BackendHealth} service with the configuration's PID, {@code BackendRegistration}).
     *
     * @param factoryPid the backend type's factory PID
     * @param keyValues  key, value, key, value ... ({@code name} is added)
     * @return the one-line error the backend published; it publishes no {@code Backend} service
     */
    public String failedBackend(String factoryPid, String... keyValues) throws IOException {
        String name = uniqueName("bk");
        Map<String, Object> props = map(keyValues);
        props.put("name", name);
        Configuration c = create(factoryPid, name, props);
        backendNames.add(name);
        String filter = "(" + BackendHealth.PID + "=" + c.getPid() + ")";
        String[] why = new String[1];
        Poll.until(READY, factoryPid + " " + name + " to publish its failure", () -> {
            try {
                ServiceReference<?>[] refs = ctx.getServiceReferences(BackendHealth.class.getName(), filter);
                if (refs != null && refs.length > 0) {
                    why[0] = String.valueOf(refs[0].getProperty(BackendHealth.FAILURE));
                    return true;
                }
                return false;
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
        if (hasService(Backend.class.getName(), "(" + Backend.NAME + "=" + name + ")")) {
            throw new AssertionError("backend " + name + " published its failure and a Backend service");
        }
        return why[0];
    }

    /**
     * Registers a test backend service from the probe.
     *
     * @param backend the backend
     * @return its name
     */
    public String registerBackend(Backend backend) {
        String name = uniqueName("tb");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Backend.NAME, name);
        registrations.add(ctx.registerService(Backend.class, backend, props));
        return name;
    }

    /**
     * Creates a listener on a free 127.0.0.1 port and waits until it accepts connections.
     *
     * @param backend the backend name it uses
     * @param keyValues further keys and values, e.g. {@code "connect-timeout", "1"}
     * @return the port
     */
    public int listener(String backend, String... keyValues) throws IOException {
        int port = Ports.freePort();
        Map<String, Object> props = map(keyValues);
        props.put("listen", "127.0.0.1");
        props.put("port", Integer.toString(port));
        props.put("backend", backend);
        props.putIfAbsent("ping", "0");
        listenerConfigs.add(create(LISTENER_PID, uniqueName("l"), props));
        listenerPorts.add(port);
        Poll.until(READY, "listener on 127.0.0.1:" + port, () -> Ports.accepts(port));
        return port;
    }

    /**
     * Deletes the configuration of a listener created by {@link #listener} before the test ends (a
     * config-driven listener close) and waits until its port is closed.
     *
     * @param port the listener's port
     */
    public void deleteListener(int port) throws IOException {
        int i = listenerPorts.indexOf(port);
        if (i < 0) {
            throw new IllegalArgumentException("no listener on port " + port + " was created by this fixture");
        }
        Configuration c = listenerConfigs.remove(i);
        listenerPorts.remove(i);
        configs.remove(c);
        c.delete();
        Poll.until(READY, "listener on port " + port + " to close", () -> !Ports.accepts(port));
    }

    /**
     * Remembers a resource (a peer) to close in {@link #close()}.
     *
     * @param r the resource
     * @return r
     */
    public <T extends AutoCloseable> T track(T r) {
        resources.add(r);
        return r;
    }

    private Configuration create(String factoryPid, String name, Map<String, Object> props) throws IOException {
        Configuration c = cm.getFactoryConfiguration(factoryPid, name, "?");
        Dictionary<String, Object> d = new Hashtable<>(props);
        c.update(d);
        configs.add(c);
        return c;
    }

    private boolean hasService(String clazz, String filter) {
        try {
            ServiceReference<?>[] refs = ctx.getServiceReferences(clazz, filter);
            return refs != null && refs.length > 0;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
    }

    private static Map<String, Object> map(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        List<Configuration> rev = new ArrayList<>(configs);
        Collections.reverse(rev);
        for (Configuration c : rev) {
            try {
                c.delete();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException ignored) {
                // already gone
            }
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        // the next test must start clean: listeners closed, backend services gone
        for (int port : listenerPorts) {
            Poll.until(READY, "listener on port " + port + " to close after its configuration was deleted",
                    () -> !Ports.accepts(port));
        }
        for (String name : backendNames) {
            Poll.until(READY, "backend service " + name + " to go away after its configuration was deleted",
                    () -> !hasService(Backend.class.getName(), "(" + Backend.NAME + "=" + name + ")"));
        }
        if (first != null) {
            throw first;
        }
        Leaks.assertNone();
    }
}
