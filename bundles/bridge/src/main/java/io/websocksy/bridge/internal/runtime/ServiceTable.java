package io.websocksy.bridge.internal.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;

/**
 * A whiteboard table: name to the best-ranked service of that name (highest service.ranking, then
 * lowest service.id, as {@link ServiceReference#compareTo} orders them). Keyed by reference, so
 * unbinding a shadowed service never drops the live one. Thread-safe.
 *
 * @param <S> the service type
 */
public final class ServiceTable<S> {
    /** One bound service. */
    public static final class Entry<S> {
        public final String name;
        public final ServiceReference<S> ref;
        public final S service;

        Entry(String name, ServiceReference<S> ref, S service) {
            this.name = name;
            this.ref = ref;
            this.service = service;
        }

        String bundle() {
            return ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName() + " " + ref.getBundle().getVersion();
        }
    }

    private final String kind;
    private final String nameProperty;
    private final Logger log;
    private final Map<String, TreeMap<ServiceReference<S>, Entry<S>>> byName = new TreeMap<>();

    ServiceTable(String kind, String nameProperty, Logger log) {
        this.kind = kind;
        this.nameProperty = nameProperty;
        this.log = log;
    }

    String nameOf(ServiceReference<?> ref) {
        Object n = ref.getProperty(nameProperty);
        if (n instanceof String[] && ((String[]) n).length > 0) {
            n = ((String[]) n)[0];
        }
        return n == null ? null : n.toString().trim();
    }

    synchronized void add(ServiceReference<S> ref, S service) {
        String name = nameOf(ref);
        if (name == null || name.isEmpty()) {
            log.warn("ignoring a {} service without the {} property (service.id {}, bundle {})", kind, nameProperty,
                    ref.getProperty("service.id"), ref.getBundle());
            return;
        }
        TreeMap<ServiceReference<S>, Entry<S>> m = byName.computeIfAbsent(name,
                n -> new TreeMap<>(Comparator.reverseOrder()));
        m.put(ref, new Entry<>(name, ref, service));
        if (m.size() > 1) {
            Entry<S> best = m.firstEntry().getValue();
            log.warn("{} {} services are named '{}'; using the one from {} (service.id {}, highest service.ranking)",
                    m.size(), kind, name, best.bundle(), best.ref.getProperty("service.id"));
        } else {
            log.info("{} '{}' available from {}", kind, name, m.firstEntry().getValue().bundle());
        }
    }

    /** @return true when the removed entry was the live one of its name */
    synchronized boolean remove(ServiceReference<S> ref) {
        for (Map.Entry<String, TreeMap<ServiceReference<S>, Entry<S>>> e : byName.entrySet()) {
            String name = e.getKey(); // read before removing: TreeMap reuses the entry for its successor
            TreeMap<ServiceReference<S>, Entry<S>> m = e.getValue();
            Entry<S> live = m.isEmpty() ? null : m.firstEntry().getValue();
            if (m.remove(ref) != null) {
                if (m.isEmpty()) {
                    byName.remove(name);
                    log.info("{} '{}' gone", kind, name);
                }
                return live != null && live.ref.equals(ref);
            }
        }
        return false;
    }

    synchronized Entry<S> lookup(String name) {
        TreeMap<ServiceReference<S>, Entry<S>> m = byName.get(name);
        return m == null || m.isEmpty() ? null : m.firstEntry().getValue();
    }

    /** @return every bound entry, live ones first within each name */
    synchronized List<Entry<S>> all() {
        List<Entry<S>> out = new ArrayList<>();
        for (TreeMap<ServiceReference<S>, Entry<S>> m : byName.values()) {
            out.addAll(m.values());
        }
        return Collections.unmodifiableList(out);
    }
}
