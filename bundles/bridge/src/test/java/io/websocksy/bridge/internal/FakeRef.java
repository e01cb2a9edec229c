package io.websocksy.bridge.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** A ServiceReference for unit tests: properties, service.id and service.ranking ordering. */
public final class FakeRef<S> implements ServiceReference<S> {
    private static final AtomicLong IDS = new AtomicLong();
    private final Hashtable<String, Object> props = new Hashtable<>();

    public FakeRef(Map<String, Object> p) {
        props.putAll(p);
        props.put("service.id", IDS.incrementAndGet());
    }

    @Override
    public Object getProperty(String key) {
        return props.get(key);
    }

    @Override
    public String[] getPropertyKeys() {
        return props.keySet().toArray(new String[0]);
    }

    @Override
    public Bundle getBundle() {
        return null;
    }

    @Override
    public Bundle[] getUsingBundles() {
        return null;
    }

    @Override
    public boolean isAssignableTo(Bundle bundle, String className) {
        return true;
    }

    @Override
    public int compareTo(Object o) {
        FakeRef<?> other = (FakeRef<?>) o;
        int r1 = rank(this);
        int r2 = rank(other);
        if (r1 != r2) {
            return Integer.compare(r1, r2);
        }
        return Long.compare((Long) other.props.get("service.id"), (Long) props.get("service.id"));
    }

    private static int rank(FakeRef<?> r) {
        Object v = r.props.get("service.ranking");
        return v instanceof Integer ? (Integer) v : 0;
    }

    @Override
    public Dictionary<String, Object> getProperties() {
        return new Hashtable<>(props);
    }

    @Override
    public <A> A adapt(Class<A> type) {
        return null;
    }
}
