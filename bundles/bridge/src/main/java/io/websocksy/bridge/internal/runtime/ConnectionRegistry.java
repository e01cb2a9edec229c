package io.websocksy.bridge.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;

import io.websocksy.bridge.internal.relay.BridgeCounters;
import io.websocksy.bridge.internal.relay.Connection;







/**
 * The live bridged connections of every listener. An entry is added when the 101 is sent and removed
 * when the client channel closes, so it never holds a closed connection.
 */
@Component(service = ConnectionRegistry.class, immediate = true)
public final class ConnectionRegistry {
    private final ConcurrentHashMap<Long, Connection> live = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Every listener's, backend's and framer's counters (metrics). */
    private final BridgeCounters counters = new BridgeCounters();

    public BridgeCounters counters() {
        return counters;
    }

    public long nextId() {
        return ids.incrementAndGet();
    }

    public void add(Connection c) {
        live.put(c.id(), c);
        c.clientChannel().closeFuture().addListener(f -> live.remove(c.id()));
    }

    /** @return a snapshot of the live connections */
    public List<Connection> snapshot() {
        return new ArrayList<>(live.values());
    }

    /** @return the connection with that id, or null */
    public Connection get(long id) {
        return live.get(id);
    }

    /** @return number of live connections */
    public int size() {
        return live.size();
    }

    /** Closes every connection opened with the given framer or backend service. */
    void closeUsing(ServiceReference<?> ref, int code, String reason) {
        for (Connection c : live.values()) {
            if (ref.equals(c.framerRef()) || ref.equals(c.backendRef())) {
                c.close(code, reason);
            }
        }
    }
}
