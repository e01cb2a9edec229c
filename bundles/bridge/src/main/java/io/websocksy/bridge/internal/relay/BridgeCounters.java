package io.websocksy.bridge.internal.relay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.websocksy.api.admin.BridgeMetrics;

/**
 * Every counter of the bridge (BridgeAdmin.metrics(), the /metrics exporter and websocksy:stats): one
 * {@link ListenerCounters} per listener name, and per backend and framer name a few {@link LongAdder}s.
 * Held by the {@link ConnectionRegistry}, so it lives as long as the bridge bundle runs. Nothing here is
 * touched per frame: the per-frame byte and message counts stay in each {@link Connection} (single
 * writer, its event loop) and are summed when a snapshot is taken.
 */
public final class BridgeCounters {
    private final ConcurrentHashMap<String, ListenerCounters> listeners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, BackendCounters> backends = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> framerErrors = new ConcurrentHashMap<>();

    /** @return the counters of the listener with that name (created on first use, kept for good) */
    public ListenerCounters listener(String name) {
        return listeners.computeIfAbsent(name, n -> new ListenerCounters(n, this));
    }

    public BackendCounters backend(String name) {
        return backends.computeIfAbsent(name, n -> new BackendCounters());
    }

    public void framerError(String framer) {
        framerErrors.computeIfAbsent(framer, n -> new LongAdder()).increment();
    }

    public BridgeMetrics snapshot() {
        List<BridgeMetrics.Listener> ls = new ArrayList<>();
        Map<String, long[]> framerTraffic = new TreeMap<>();
        for (ListenerCounters l : listeners.values()) {
            ls.add(l.snapshot(framerTraffic));
        }
        ls.sort(Comparator.comparing(BridgeMetrics.Listener::name));
        List<BridgeMetrics.Backend> bs = new ArrayList<>();
        new TreeMap<>(backends).forEach((name, b) -> bs.add(new BridgeMetrics.Backend(name, b.lookups.sum(),
                b.errors.sum(), b.notFound.sum())));
        for (String f : framerErrors.keySet()) {
            framerTraffic.computeIfAbsent(f, n -> new long[2]);
        }
        List<BridgeMetrics.Framer> fs = new ArrayList<>();
        framerTraffic.forEach((name, t) -> {
            LongAdder e = framerErrors.get(name);
            fs.add(new BridgeMetrics.Framer(name, t[0], t[1], e == null ? 0 : e.sum()));
        });
        return new BridgeMetrics(ls, bs, fs);
    }

    /** Route look-ups of one backend name. */
    public static final class BackendCounters {
        final LongAdder lookups = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder notFound = new LongAdder();

        /** @param status 0 for a usable route, else the HTTP status the look-up ended with */
        public void lookedUp(int status) {
            lookups.increment();
            if (status == 404) {
                notFound.increment();
            } else if (status >= 500) {
                errors.increment();
            }
        }
    }

    /** @return a close code as a bounded label value */
    public static String codeLabel(int code) {
        if (code >= 1000 && code <= 1015) {
            return Integer.toString(code);
        }
        if (code >= 3000 && code <= 3999) {
            return "3xxx";
        }
        if (code >= 4000 && code <= 4999) {
            return "4xxx";
        }
        return "other";
    }

    /** Closed-connection totals of one listener; guarded by the owning ListenerCounters. */
    public static final class Closed {
        long bytesToPeer;
        long messagesToPeer;
        long bytesToClient;
        long messagesToClient;
        final Map<String, Long> closes = new HashMap<>();
        /** framer name -> {messages to client, messages to peer} of closed connections */
        final Map<String, long[]> framers = new HashMap<>();
    }
}
