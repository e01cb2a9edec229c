package io.websocksy.launcher.agent.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.BackendHealth;
import io.websocksy.api.config.ConfigKeys;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;

/**
 * Applies {@code bin/websocksy}'s command line or INI file inside the container. The launcher registers a
 * {@code java.util.function.Consumer<String>} carrying the parsed settings in the service property
 * {@value #SPEC}; without it (websocksy started without arguments, or plain Felix) this component stays
 * unsatisfied and does nothing.
 *
 * <p>On a worker thread (never SCR's) it checks, waiting up to {@code websocksy.launch.wait} seconds (default
 * 5) for plug-in bundles from the deploy directory to come up:
 * <ol>
 * <li>that a backend of the given type is installed (a DS component with configuration PID
 * {@code websocksy.backend.<type>});</li>
 * <li>that every backend option is an attribute of that backend's metatype; an attribute with cardinality 0
 * takes the last value given, a list attribute (e.g. the file backend's {@code expression}) all of them in
 * order;</li>
 * <li>when the backend has a {@code framing} option: that a framer of that name is installed and accepts the
 * {@code framing-config} string ({@link Framer#open});</li>
 * </ol>
 * then creates the backend's factory configuration {@code websocksy.backend.<type>~main} and waits for it to
 * activate (its own validation), and last the listener's {@code websocksy.listener~main}, and waits for the
 * listener to bind. It reports {@code ok} or {@code error <status> <one line>} to the launcher, which prints
 * the line and exits with the status: 2 for bad input, 1 for a start failure such as a port in use.
 */
@Component(immediate = true)
public final class LaunchAgent {
    /** The launcher's service property with the encoded settings. */
    static final String SPEC = "websocksy.launch.spec";
    static final String LISTENER_PID = "websocksy.listener";
    static final String BACKEND_PID_PREFIX = "websocksy.backend.";
    /** The instance name of the listener and backend configurations, and the backend's default name. */
    static final String INSTANCE = "main";

    private static final Logger LOG = LoggerFactory.getLogger(LaunchAgent.class);

    @Reference
    private ConfigurationAdmin configAdmin;
    @Reference
    private ServiceComponentRuntime scr;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private MetaTypeService metatype;
    /** The bridge's management service: says whether the listener runs or why it failed. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BridgeAdmin admin;

    private Consumer<String> reporter;
    private String specText;
    private BundleContext context;
    private Thread worker;
    private long waitMillis;
    private long startMillis;

    @Reference(service = Consumer.class, target = "(" + SPEC + "=*)")
    @SuppressWarnings("unchecked")
    void bindReporter(Consumer<?> r, Map<String, Object> props) {
        reporter = (Consumer<String>) r;
        specText = String.valueOf(props.get(SPEC));
    }

    @Activate
    void activate(BundleContext ctx) {
        context = ctx;
        waitMillis = TimeUnit.SECONDS.toMillis(longProperty(ctx, "websocksy.launch.wait", 5));
        startMillis = TimeUnit.SECONDS.toMillis(longProperty(ctx, "websocksy.launch.start", 30));
        worker = new Thread(this::run, "websocksy-launch");
        worker.setDaemon(true);
        worker.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        worker.interrupt();
        worker.join(5000);
    }

    private static long longProperty(BundleContext ctx, String key, long def) {
        String v = ctx.getProperty(key);
        try {
            return v == null ? def : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            LOG.warn("{} = '{}' is not a number of seconds; using {}", key, v, def);
            return def;
        }
    }

    private void run() {
        String verdict;
        try {
            LaunchSpec spec = LaunchSpec.decode(specText);
            apply(spec);
            verdict = "ok";
        } catch (LaunchFailure f) {
            verdict = "error " + f.status + " " + f.getMessage();
        } catch (InterruptedException e) {
            return; // stopping
        } catch (RuntimeException e) {
            LOG.error("applying the command-line settings failed", e);
            verdict = "error " + LaunchFailure.FAILURE + " applying the command-line settings failed: " + e;
        }
        try {
            reporter.accept(verdict);
        } catch (RuntimeException e) {
            LOG.error("cannot report to the launcher: {}", e.toString());
        }
    }

    private void apply(LaunchSpec spec) throws LaunchFailure, InterruptedException {
        String type = spec.backend.value;
        String factoryPid = BACKEND_PID_PREFIX + type;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);

        ComponentDescriptionDTO backendComponent = awaitDescription(factoryPid, deadline);
        if (backendComponent == null) {
            throw new LaunchFailure(LaunchFailure.USAGE, spec.backend.source + ": backend = '" + type
                    + "': unknown backend (installed: " + String.join(", ", installedBackends()) + ")");
        }
        Map<String, AttributeDefinition> attributes = attributes(backendComponent, factoryPid);
        Dictionary<String, Object> backendProps = backendProperties(spec, type, attributes);
        if (attributes == null ? true : attributes.containsKey("framing")) {
            checkFramer(spec, attributes, deadline);
        }
        String name = String.valueOf(backendProps.get("name"));

        Configuration backend = createConfiguration(factoryPid, backendProps);
        FailureMapper backendFailure = failure -> {
            String msg = Messages.firstLine(failure);
            return new LaunchFailure(LaunchFailure.USAGE, Messages.sourceFor(msg, spec.options, spec.backend.source)
                    + ": " + msg);
        };
        awaitActive(backendComponent, backend.getPid(), backendFailure);
        awaitBackendService(backend.getPid(), name, backendFailure);

        ComponentDescriptionDTO listenerComponent = awaitDescription(LISTENER_PID, deadline);
        if (listenerComponent == null) {
            throw new LaunchFailure(LaunchFailure.FAILURE, "the listener component (" + LISTENER_PID
                    + ") is not installed; is io.websocksy.bridge in the bundle directory?");
        }
        Dictionary<String, Object> listenerProps = new Hashtable<>();
        listenerProps.put("listen", spec.listen.value);
        listenerProps.put("port", spec.port.value);
        listenerProps.put("ping", spec.ping.value);
        listenerProps.put("backend", name);
        for (LaunchSpec.Setting o : spec.listenerOptions) {
            listenerProps.put(o.key, o.value);
        }
        checkResolvable(spec.listen);
        Configuration listener = createConfiguration(LISTENER_PID, listenerProps);
        awaitActive(listenerComponent, listener.getPid(), failure -> {
            String msg = Messages.firstLine(failure);
            List<LaunchSpec.Setting> core = new ArrayList<>(List.of(spec.listen, spec.port, spec.ping));
            core.addAll(spec.listenerOptions);
            LaunchSpec.Setting at = findSetting(msg, core, spec.port);
            return new LaunchFailure(LaunchFailure.USAGE, at.source + ": " + at.key + " = '" + at.value + "': " + msg);
        });
        awaitListening(spec);
        LOG.info("command-line settings applied: listener {} on {} port {} (ping {} s) -> {} backend '{}' {}",
                listener.getPid(), spec.listen.value, spec.port.value, spec.ping.value, type, name,
                describe(backendProps));
        if (!spec.exitWhen.isEmpty()) {
            ExitWatch.start(context, spec.exitWhen);
        }
    }

    /**
     * Waits until the bridge lists the listener: {@link ListenerInfo.State#FAILED} means it could not start
     * (the launcher has checked every value it was given, so what is left is a start failure such as a port
     * in use); the failure is reported against the port setting, the one to change.
     */
    private void awaitListening(LaunchSpec spec) throws LaunchFailure, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startMillis);
        ListenerInfo info = poll(deadline, () -> {
            BridgeAdmin a = admin;
            if (a == null) {
                return null;
            }
            return a.listeners().stream().filter(l -> l.name().equals(INSTANCE)).findFirst().orElse(null);
        });
        if (info == null) {
            throw new LaunchFailure(LaunchFailure.FAILURE, "listener " + INSTANCE + " did not show in the bridge's "
                    + "management service within " + TimeUnit.MILLISECONDS.toSeconds(startMillis) + " s");
        }
        if (info.state() == ListenerInfo.State.FAILED) {
            throw new LaunchFailure(LaunchFailure.FAILURE, spec.port.source + ": " + spec.port.key + " = '"
                    + spec.port.value + "': " + info.failure().orElse("the listener did not start"));
        }
    }

    /**
     * A listen host name that does not resolve is bad input (status 2) naming the {@code -l} setting, not a
     * bind failure of the port.
     */
    private static void checkResolvable(LaunchSpec.Setting listen) throws LaunchFailure {
        try {
            java.net.InetAddress.getByName(listen.value);
        } catch (java.net.UnknownHostException e) {
            throw new LaunchFailure(LaunchFailure.USAGE, listen.source + ": " + listen.key + " = '" + listen.value
                    + "': cannot resolve the host name");
        }
    }

    /** A probe of {@link #poll}: null while the awaited thing is not there yet. */
    private interface Probe<T> {
        T get() throws LaunchFailure;
    }

    /**
     * An active backend component has either published its {@code Backend} service under {@code name}, or
     * refused its configuration: then it stays active without a service and publishes its error as a failed
     * {@code BackendHealth} with the configuration's PID ({@link BackendHealth#PID} and {@link BackendHealth#FAILURE}, the
     * backends' shared {@code BackendRegistration}). Waits for one of the two.
     */
    private void awaitBackendService(String pid, String name, FailureMapper onFailure)
            throws LaunchFailure, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startMillis);
        String running = "(" + Backend.NAME + "=" + Messages.ldapEscape(name) + ")";
        String failed = "(" + BackendHealth.PID + "=" + Messages.ldapEscape(pid) + ")";
        Object outcome = poll(deadline, () -> {
            try {
                ServiceReference<?>[] why = context.getServiceReferences(BackendHealth.class.getName(), failed);
                if (why != null && why.length > 0) {
                    throw onFailure.map(String.valueOf(why[0].getProperty(BackendHealth.FAILURE)));
                }
                ServiceReference<?>[] up = context.getServiceReferences(Backend.class.getName(), running);
                return up != null && up.length > 0 ? Boolean.TRUE : null;
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
        if (outcome == null) {
            throw new LaunchFailure(LaunchFailure.FAILURE, pid + " is active but published no backend '" + name
                    + "' within " + TimeUnit.MILLISECONDS.toSeconds(startMillis) + " s");
        }
    }

    /**
     * The one wait loop of the agent: asks {@code probe} every 50 ms until it answers non-null or the deadline
     * passes (one last try after it).
     *
     * @return the answer, or null at the deadline
     */
    private static <T> T poll(long deadline, Probe<T> probe) throws LaunchFailure, InterruptedException {
        while (true) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() - deadline > 0) {
                return null;
            }
            Thread.sleep(50);
        }
    }

    private static LaunchSpec.Setting findSetting(String msg, List<LaunchSpec.Setting> settings,
            LaunchSpec.Setting fallback) {
        LaunchSpec.Setting found = fallback;
        for (LaunchSpec.Setting s : settings) {
            if (msg.contains(s.key + " = ")) {
                found = s;
            }
        }
        return found;
    }

    /** Backend options: metatype-checked names, last value or all values, and a default {@code name}. */
    private static Dictionary<String, Object> backendProperties(LaunchSpec spec, String type,
            Map<String, AttributeDefinition> attributes) throws LaunchFailure {
        Map<String, List<String>> values = new LinkedHashMap<>();
        ConfigKeys known = attributes == null ? null : ConfigKeys.of(attributes.keySet());
        for (LaunchSpec.Setting o : spec.options) {
            if (known != null && !known.keys().contains(o.key)) {
                throw new LaunchFailure(LaunchFailure.USAGE, o.source + ": " + o.key + " = '" + o.value
                        + "': unknown option for the " + type + " backend " + known.hint(o.key));
            }
            values.computeIfAbsent(o.key, k -> new ArrayList<>()).add(o.value);
        }
        Dictionary<String, Object> props = new Hashtable<>();
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            List<String> v = e.getValue();
            AttributeDefinition ad = attributes == null ? null : attributes.get(e.getKey());
            boolean list = ad != null ? ad.getCardinality() != 0 : v.size() > 1;
            if (list) {
                props.put(e.getKey(), v.toArray(new String[0]));
            } else {
                props.put(e.getKey(), v.get(v.size() - 1));
            }
        }
        if (props.get("name") == null && (attributes == null || attributes.containsKey("name"))) {
            props.put("name", INSTANCE);
        }
        return props;
    }

    private void checkFramer(LaunchSpec spec, Map<String, AttributeDefinition> attributes, long deadline)
            throws LaunchFailure, InterruptedException {
        LaunchSpec.Setting framing = last(spec.options, "framing");
        LaunchSpec.Setting config = last(spec.options, "framing-config");
        String name = framing != null ? framing.value : defaultOf(attributes, "framing");
        if (name == null || name.isEmpty()) {
            return;
        }
        String cfg = config != null ? config.value : defaultOf(attributes, "framing-config");
        if (cfg == null) {
            cfg = "";
        }
        String framingSource = framing != null ? framing.source : spec.backend.source;
        ServiceReference<Framer> ref = awaitFramer(name, deadline);
        if (ref == null) {
            throw new LaunchFailure(LaunchFailure.USAGE, framingSource + ": framing = '" + name
                    + "': unknown framer (installed: " + String.join(", ", installedFramers()) + ")");
        }
        Framer framer = context.getService(ref);
        if (framer == null) {
            throw new LaunchFailure(LaunchFailure.FAILURE, framingSource + ": framing = '" + name
                    + "': the framer went away while being checked");
        }
        try {
            FramingState state = framer.open(cfg);
            state.close();
        } catch (FramerConfigException e) {
            throw new LaunchFailure(LaunchFailure.USAGE, (config != null ? config.source : framingSource)
                    + ": framing-config = '" + cfg + "': " + e.getMessage());
        } catch (RuntimeException e) {
            throw new LaunchFailure(LaunchFailure.USAGE, (config != null ? config.source : framingSource)
                    + ": framing-config = '" + cfg + "': framer '" + name + "' failed: " + e);
        } finally {
            context.ungetService(ref);
        }
    }

    private static LaunchSpec.Setting last(List<LaunchSpec.Setting> options, String key) {
        LaunchSpec.Setting found = null;
        for (LaunchSpec.Setting o : options) {
            if (o.key.equals(key)) {
                found = o;
            }
        }
        return found;
    }

    private static String defaultOf(Map<String, AttributeDefinition> attributes, String key) {
        if (attributes == null || !attributes.containsKey(key)) {
            return null;
        }
        String[] d = attributes.get(key).getDefaultValue();
        return d == null || d.length == 0 ? null : d[0];
    }

    private ServiceReference<Framer> awaitFramer(String name, long deadline) throws InterruptedException {
        String filter = "(" + Framer.NAME + "=" + Messages.ldapEscape(name) + ")";
        try {
            return poll(deadline, () -> {
                Collection<ServiceReference<Framer>> refs;
                try {
                    refs = context.getServiceReferences(Framer.class, filter);
                } catch (InvalidSyntaxException e) {
                    throw new IllegalStateException("framer filter " + filter, e);
                }
                return refs.stream().max(ServiceReference::compareTo).orElse(null);
            });
        } catch (LaunchFailure impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private List<String> installedFramers() {
        TreeSet<String> names = new TreeSet<>();
        try {
            for (ServiceReference<Framer> r : context.getServiceReferences(Framer.class, null)) {
                Object n = r.getProperty(Framer.NAME);
                if (n != null) {
                    names.add(n.toString());
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new ArrayList<>(names);
    }

    private ComponentDescriptionDTO awaitDescription(String configurationPid, long deadline)
            throws InterruptedException {
        try {
            return poll(deadline, () -> {
                for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                    if (d.configurationPid != null && Arrays.asList(d.configurationPid).contains(configurationPid)) {
                        return d;
                    }
                }
                return null;
            });
        } catch (LaunchFailure impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private List<String> installedBackends() {
        TreeSet<String> types = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.configurationPid != null) {
                for (String pid : d.configurationPid) {
                    if (pid.startsWith(BACKEND_PID_PREFIX)) {
                        types.add(pid.substring(BACKEND_PID_PREFIX.length()));
                    }
                }
            }
        }
        return new ArrayList<>(types);
    }

    /** @return the component's metatype attributes by id, or null when no metatype is available */
    private Map<String, AttributeDefinition> attributes(ComponentDescriptionDTO d, String pid) {
        MetaTypeService mts = metatype;
        Bundle b = context.getBundle(d.bundle.id);
        if (mts == null || b == null) {
            LOG.warn("no metatype for {}: backend option names are not checked", pid);
            return null;
        }
        MetaTypeInformation info = mts.getMetaTypeInformation(b);
        ObjectClassDefinition ocd;
        try {
            ocd = info == null ? null : info.getObjectClassDefinition(pid, null);
        } catch (IllegalArgumentException e) {
            ocd = null;
        }
        if (ocd == null) {
            LOG.warn("no metatype for {} in {}: backend option names are not checked", pid, b.getSymbolicName());
            return null;
        }
        Map<String, AttributeDefinition> out = new LinkedHashMap<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            out.put(ad.getID(), ad);
        }
        return out;
    }

    private Configuration createConfiguration(String factoryPid, Dictionary<String, Object> props)
            throws LaunchFailure {
        try {
            Configuration c = configAdmin.getFactoryConfiguration(factoryPid, INSTANCE, "?");
            c.update(props);
            return c;
        } catch (java.io.IOException | RuntimeException e) {
            throw new LaunchFailure(LaunchFailure.FAILURE, "cannot write the configuration " + factoryPid + "~"
                    + INSTANCE + ": " + e.getMessage());
        }
    }

    /** Maps a component's failure text to the launcher's message. */
    private interface FailureMapper {
        LaunchFailure map(String failure);
    }

    /**
     * Waits until the component configuration of {@code pid} is active (or satisfied, for a delayed
     * component); a failed activation becomes the mapper's failure.
     */
    private void awaitActive(ComponentDescriptionDTO d, String pid, FailureMapper onFailure)
            throws LaunchFailure, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startMillis);
        String[] lastState = {"not created"};
        Boolean active = poll(deadline, () -> {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (!pid.equals(String.valueOf(c.properties.get("service.pid")))) {
                    continue;
                }
                switch (c.state) {
                    case ComponentConfigurationDTO.ACTIVE:
                        return Boolean.TRUE;
                    case ComponentConfigurationDTO.SATISFIED:
                        if (!d.immediate) {
                            return Boolean.TRUE;
                        }
                        lastState[0] = "satisfied";
                        break;
                    case ComponentConfigurationDTO.FAILED_ACTIVATION:
                        throw onFailure.map(c.failure);
                    default:
                        lastState[0] = c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                                ? "waiting for " + unsatisfied(c) : "state " + c.state;
                        break;
                }
            }
            return null;
        });
        if (active == null) {
            throw new LaunchFailure(LaunchFailure.FAILURE, pid + " did not start within "
                    + TimeUnit.MILLISECONDS.toSeconds(startMillis) + " s (" + lastState[0] + ")");
        }
    }

    private static String unsatisfied(ComponentConfigurationDTO c) {
        List<String> names = new ArrayList<>();
        if (c.unsatisfiedReferences != null) {
            for (var r : c.unsatisfiedReferences) {
                names.add(r.name);
            }
        }
        return String.join(", ", names);
    }

    private static String describe(Dictionary<String, Object> props) {
        StringBuilder b = new StringBuilder();
        for (var e = props.keys(); e.hasMoreElements();) {
            String k = e.nextElement();
            Object v = props.get(k);
            b.append(b.length() == 0 ? "" : " ").append(k).append('=')
                    .append(v instanceof String[] ? Arrays.toString((String[]) v) : String.valueOf(v));
        }
        return b.toString();
    }
}
