package io.websocksy.ops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.cm.ManagedService;
import org.osgi.service.cm.ManagedServiceFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code .cfg} file whose PID no installed bundle uses (a misspelt file name such as
 * {@code websocksy.listner-typo.cfg}) makes a configuration that nothing ever reads. For each configuration
 * FileInstall made from a file ({@code felix.fileinstall.filename}), this checks, a grace period after it appears
 * or changes (plug-ins in deploy/ may arrive in the same scan), whether its PID or factory PID is used by a
 * Declarative Services component, a ManagedService or ManagedServiceFactory, or a metatype definition of any
 * installed bundle; if not, it logs one WARN naming the file and the closest known PID. Once per file and PID.
 */
@Component(service = ConfigurationListener.class)
public class UnknownConfigurations implements ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(UnknownConfigurations.class);
    static final String FILENAME = "felix.fileinstall.filename";

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final ServiceComponentRuntime scr;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MetaTypeService metatype;
    private final Map<String, String> warned = new ConcurrentHashMap<>(); // file -> pid warned about
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "websocksy-unknown-pid-check");
        t.setDaemon(true);
        return t;
    });
    private final long graceMillis;

    /**
     * @param context     the bundle context
     * @param configAdmin ConfigAdmin
     * @param scr         SCR's runtime
     */
    @Activate
    public UnknownConfigurations(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.scr = scr;
        this.graceMillis = Long.getLong("websocksy.unknown-pid.grace", 3000);
        // the configurations FileInstall made before this bundle started
        timer.schedule(this::checkAll, graceMillis, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            warned.values().remove(pid);
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_UPDATED) {
            timer.schedule(() -> check(pid), graceMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void checkAll() {
        try {
            Configuration[] all = configAdmin.listConfigurations("(" + FILENAME + "=*)");
            if (all != null) {
                for (Configuration c : all) {
                    check(c);
                }
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.debug("cannot list configurations", e);
        }
    }

    private void check(String pid) {
        try {
            Configuration[] cs = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (cs != null) {
                for (Configuration c : cs) {
                    check(c);
                }
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.debug("cannot read configuration {}", pid, e);
        }
    }

    private void check(Configuration c) {
        Dictionary<String, Object> props = c.getProperties();
        Object file = props == null ? null : props.get(FILENAME);
        if (file == null) {
            return;
        }
        String factory = c.getFactoryPid();
        String used = factory != null ? factory : c.getPid();
        Set<String> known = knownPids();
        if (known.contains(used)) {
            warned.remove(file.toString());
            return;
        }
        if (used.equals(warned.get(file.toString()))) {
            return;
        }
        warned.put(file.toString(), used);
        String closest = closest(used, known);
        String what = factory != null
                ? "factory PID " + factory + " (configuration " + c.getPid() + ")" : "PID " + used;
        LOG.warn("{}: ignored: no installed bundle uses the configuration {}{}", fileName(file), what,
                closest == null ? "" : "; did you mean " + closest + "?");
    }

    private static String fileName(Object file) {
        String f = file.toString();
        return f.startsWith("file:") ? java.net.URI.create(f).getPath() : f;
    }

    /** @return every PID and factory PID something installed reads */
    Set<String> knownPids() {
        Set<String> known = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.configurationPid != null) {
                known.addAll(List.of(d.configurationPid));
            }
        }
        for (String cls : new String[] {ManagedService.class.getName(), ManagedServiceFactory.class.getName()}) {
            try {
                ServiceReference<?>[] refs = context.getAllServiceReferences(cls, null);
                if (refs != null) {
                    for (ServiceReference<?> r : refs) {
                        addAll(known, r.getProperty("service.pid"));
                    }
                }
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        MetaTypeService mts = metatype;
        if (mts != null) {
            for (Bundle b : context.getBundles()) {
                try {
                    MetaTypeInformation info = mts.getMetaTypeInformation(b);
                    if (info != null) {
                        addAll(known, info.getPids());
                        addAll(known, info.getFactoryPids());
                    }
                } catch (RuntimeException e) {
                    LOG.debug("no metatype for {}", b, e);
                }
            }
        }
        return known;
    }

    private static void addAll(Set<String> to, Object value) {
        if (value instanceof String) {
            to.add((String) value);
        } else if (value instanceof String[]) {
            to.addAll(List.of((String[]) value));
        } else if (value instanceof Collection) {
            for (Object o : (Collection<?>) value) {
                to.add(String.valueOf(o));
            }
        }
    }

    /**
     * @param pid   the unknown PID
     * @param known the known ones
     * @return the known PID at the smallest edit distance, if that is at most a third of its length; else null
     */
    static String closest(String pid, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new ArrayList<>(known)) {
            int d = distance(pid, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(1, best.length() / 3) ? best : null;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
