package io.websocksy.bridge.internal.relay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.websocksy.api.admin.BridgeMetrics;

/**
 * The counters of one listener. Events (accept, upgrade, rejection, timeouts) are {@link LongAdder}s,
 * durations {@link DurationHistogram}s. Bytes and messages are not counted here per frame: a snapshot
 * adds the totals of the closed connections to the live connections' own counters, under this object's
 * lock, which is taken once per connection open and close and once per snapshot, so the sums never go
 * backwards.
 */
public final class ListenerCounters {
    public static final String CLIENT = "client";
    public static final String PEER = "peer";
    public static final String BRIDGE = "bridge";

    public final String name;
    private final BridgeCounters bridge;
    public final LongAdder accepted = new LongAdder();
    public final LongAdder upgraded = new LongAdder();
    public final LongAdder pingTimeouts = new LongAdder();
    public final LongAdder writeStalls = new LongAdder();
    public final LongAdder tlsFailures = new LongAdder();
    private final ConcurrentHashMap<Integer, LongAdder> rejected = new ConcurrentHashMap<>();
    public final DurationHistogram handshake = new DurationHistogram();
    public final DurationHistogram routeLookup = new DurationHistogram();
    public final DurationHistogram peerConnect = new DurationHistogram();

    // guarded by this
    private final Set<Connection> live = new HashSet<>();
    private final BridgeCounters.Closed closed = new BridgeCounters.Closed();

    ListenerCounters(String name, BridgeCounters bridge) {
        this.name = name;
        this.bridge = bridge;
    }

    public BridgeCounters bridge() {
        return bridge;
    }

    public void rejected(int status) {
        rejected.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    public synchronized void opened(Connection c) {
        live.add(c);
    }

    /**
     * @param c the connection, whose traffic counters are final now
     * @param code the close code
     * @param side {@link #CLIENT}, {@link #PEER} or {@link #BRIDGE}
     */
    public synchronized void closed(Connection c, int code, String side) {
        if (!live.remove(c)) {
            return; // counted already
        }
        closed.bytesToPeer += c.stats().bytesToPeer();
        closed.messagesToPeer += c.stats().messagesToPeer();
        closed.bytesToClient += c.stats().bytesToClient();
        closed.messagesToClient += c.stats().messagesToClient();
        closed.closes.merge(BridgeCounters.codeLabel(code) + "|" + side, 1L, Long::sum);
        long[] f = closed.framers.computeIfAbsent(c.framer(), n -> new long[2]);
        f[0] += c.stats().messagesToClient();
        f[1] += c.stats().messagesToPeer();
    }

    /**
     * @param framers framer name -> {messages to client, messages to peer}, to which this listener's share
     *     is added
     */
    public BridgeMetrics.Listener snapshot(Map<String, long[]> framers) {
        long open;
        long bytesToPeer;
        long messagesToPeer;
        long bytesToClient;
        long messagesToClient;
        List<BridgeMetrics.Close> closes = new ArrayList<>();
        synchronized (this) {
            open = live.size();
            bytesToPeer = closed.bytesToPeer;
            messagesToPeer = closed.messagesToPeer;
            bytesToClient = closed.bytesToClient;
            messagesToClient = closed.messagesToClient;
            for (Connection c : live) {
                bytesToPeer += c.stats().bytesToPeer();
                messagesToPeer += c.stats().messagesToPeer();
                bytesToClient += c.stats().bytesToClient();
                messagesToClient += c.stats().messagesToClient();
                long[] f = framers.computeIfAbsent(c.framer(), n -> new long[2]);
                f[0] += c.stats().messagesToClient();
                f[1] += c.stats().messagesToPeer();
            }
            closed.framers.forEach((n, t) -> {
                long[] f = framers.computeIfAbsent(n, k -> new long[2]);
                f[0] += t[0];
                f[1] += t[1];
            });
            new TreeMap<>(closed.closes).forEach((k, v) -> {
                int bar = k.indexOf('|');
                closes.add(new BridgeMetrics.Close(k.substring(0, bar), k.substring(bar + 1), v));
            });
        }
        Map<Integer, Long> byStatus = new TreeMap<>();
        rejected.forEach((s, n) -> byStatus.put(s, n.sum()));
        return new BridgeMetrics.Listener(name, open, accepted.sum(), upgraded.sum(), byStatus, closes, bytesToPeer,
                messagesToPeer, bytesToClient, messagesToClient, handshake.snapshot(), routeLookup.snapshot(),
                peerConnect.snapshot(), pingTimeouts.sum(), writeStalls.sum(), tlsFailures.sum());
    }
}
