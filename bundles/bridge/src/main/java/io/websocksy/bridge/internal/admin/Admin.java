package io.websocksy.bridge.internal.admin;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.BridgeMetrics;
import io.websocksy.api.admin.ConnectionInfo;
import io.websocksy.api.admin.DryRunRequest;
import io.websocksy.api.admin.DryRunResult;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.api.admin.ServiceInfo;
import io.websocksy.api.backend.Backend;
import io.websocksy.bridge.internal.Listener;
import io.websocksy.bridge.internal.ListenerState;
import io.websocksy.bridge.internal.config.ListenerSettings;
import io.websocksy.bridge.internal.handshake.HandshakeValidator;
import io.websocksy.bridge.internal.handshake.Request;
import io.websocksy.bridge.internal.handshake.RouteCheck;
import io.websocksy.bridge.internal.http.HttpError;
import io.websocksy.bridge.internal.http.HttpHead;
import io.websocksy.bridge.internal.relay.Connection;
import io.websocksy.bridge.internal.runtime.BackendRegistry;
import io.websocksy.bridge.internal.runtime.ConnectionRegistry;
import io.websocksy.bridge.internal.runtime.FramerRegistry;
import io.websocksy.bridge.internal.runtime.NettyRuntime;
import io.websocksy.bridge.internal.runtime.ServiceTable;

/**
 * The {@link BridgeAdmin} service: snapshots of the listeners, connections and services the bridge
 * holds, close by id, drain/resume, and the route dry run through {@link RouteCheck}, the code path
 * of a real handshake.
 */
@Component(service = BridgeAdmin.class, immediate = true)
public final class Admin implements BridgeAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(Admin.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The settings a dry run uses when it names a backend instead of a listener: the listener defaults. */
    private static final Map<String, Object> DEFAULT_LISTENER = Map.of("service.pid", Listener.PID + "~dry-run");

    @Reference
    private NettyRuntime runtime;
    @Reference
    private ConnectionRegistry connections;
    @Reference
    private FramerRegistry framers;
    @Reference
    private BackendRegistry backends;

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Reference(service = Listener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void addListener(Listener l) {
        listeners.add(l);
    }

    void removeListener(Listener l) {
        listeners.remove(l);
    }

    // ---------------------------------------------------------------- listeners

    @Override
    public List<ListenerInfo> listeners() {
        List<ListenerInfo> out = new ArrayList<>();
        for (Listener l : listeners) {
            out.add(info(l));
        }
        out.sort(Comparator.comparing(ListenerInfo::name));
        return out;
    }

    private ListenerInfo info(Listener l) {
        ListenerState failed = l.state();
        if (failed.failure() != null) {
            return failed.failedInfo(backends.lookup(failed.backend()) != null);
        }
        ListenerSettings s = l.settings();
        int open = l.openConnections().size();
        ListenerInfo.State state = !l.isDraining() ? ListenerInfo.State.LISTENING
                : open == 0 ? ListenerInfo.State.DRAINED : ListenerInfo.State.DRAINING;
        return ListenerInfo.named(s.name).address(l.address()).tls(l.tls())
                .backend(s.backend, backends.lookup(s.backend) != null).state(state)
                .counts(open, l.acceptedTotal(), l.upgradedTotal(), l.rejectedTotal()).build();
    }

    private Listener find(String name) {
        for (Listener l : listeners) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new NoSuchElementException("no listener named '" + name + "'" + known());
    }

    private String known() {
        List<String> names = listeners.stream().map(Listener::name).sorted().collect(Collectors.toList());
        return names.isEmpty() ? " (no listener is running)" : " (listeners: " + String.join(", ", names) + ")";
    }

    @Override
    public ListenerInfo drain(String listener, Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative, got " + timeout);
        }
        Listener l = find(listener);
        long millis = timeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toMillis() : timeout.toMillis();
        l.drain(millis);
        return info(l);
    }

    @Override
    public ListenerInfo resume(String listener) {
        Listener l = find(listener);
        try {
            l.resume();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding listener " + listener);
        }
        return info(l);
    }

    // ---------------------------------------------------------------- connections

    @Override
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> out = new ArrayList<>();
        for (Connection c : connections.snapshot()) {
            out.add(info(c));
        }
        out.sort(Comparator.comparingLong(ConnectionInfo::id));
        return out;
    }

    @Override
    public Optional<ConnectionInfo> connection(long id) {
        Connection c = connections.get(id);
        return c == null ? Optional.empty() : Optional.of(info(c));
    }

    private static ConnectionInfo info(Connection c) {
        long nowMillis = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        return ConnectionInfo.withId(c.id()).of(c.listener(), c.clientAddress(), c.path(), c.route())
                .traffic(c.stats().bytesToPeer(), c.stats().messagesToPeer(), c.stats().bytesToClient(), c.stats().messagesToClient())
                .times(Instant.ofEpochMilli(c.stats().openedAt()), Duration.ofMillis(Math.max(0, nowMillis - c.stats().openedAt())),
                        Duration.ofNanos(Math.max(0, nowNanos - c.stats().lastActivity())))
                .build();
    }

    @Override
    public boolean close(long id, int code, String reason) {
        if (!CLOSE_CODES.contains(code) && (code < 3000 || code > 4999)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent: use 1000 (normal), 1001 "
                    + "(going away), 1008 (policy violation) or an application code 3000-4999");
        }
        String r = reason == null ? "" : reason;
        int bytes = r.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason is " + bytes + " bytes in UTF-8; at most "
                    + MAX_REASON_BYTES + " fit in a close frame");
        }
        Connection c = connections.get(id);
        if (c == null) {
            return false;
        }
        LOG.info("#{} closing on request of an administrator: code={} reason={}", id, code, r.isEmpty() ? "-" : r);
        c.close(code, r);
        return true;
    }

    // ---------------------------------------------------------------- services

    @Override
    public List<ServiceInfo> framers() {
        return services(framers.all(), name -> framers.lookup(name));
    }

    @Override
    public List<ServiceInfo> backends() {
        return services(backends.all(), name -> backends.lookup(name));
    }

    private static <S> List<ServiceInfo> services(List<ServiceTable.Entry<S>> all,
            java.util.function.Function<String, ServiceTable.Entry<S>> live) {
        List<ServiceInfo> out = new ArrayList<>();
        for (ServiceTable.Entry<S> e : all) {
            Bundle b = e.ref.getBundle();
            if (b == null) {
                continue; // unregistered while we looked
            }
            ServiceTable.Entry<S> active = live.apply(e.name);
            Object id = e.ref.getProperty(Constants.SERVICE_ID);
            Object rank = e.ref.getProperty(Constants.SERVICE_RANKING);
            out.add(new ServiceInfo(e.name, String.valueOf(b.getSymbolicName()), b.getVersion().toString(),
                    b.getBundleId(), id instanceof Number ? ((Number) id).longValue() : 0,
                    rank instanceof Integer ? (Integer) rank : 0, active != null && active.ref.equals(e.ref)));
        }
        return out;
    }

    // ---------------------------------------------------------------- metrics

    @Override
    public BridgeMetrics metrics() {
        return connections.counters().snapshot();
    }

    // ---------------------------------------------------------------- dry run

    @Override
    public CompletionStage<DryRunResult> dryRun(DryRunRequest req) {
        Listener l = null;
        ListenerSettings s;
        if (req.listener().isPresent()) {
            l = find(req.listener().get());
        } else if (req.backend().isEmpty()) {
            List<Listener> all = new ArrayList<>(listeners);
            if (all.size() != 1) {
                throw new NoSuchElementException(all.isEmpty()
                        ? "no listener is running: name a backend instead"
                        : "several listeners run: name one (or a backend)" + known());
            }
            l = all.get(0);
        }
        if (l != null && l.state().failure() != null) {
            return CompletableFuture.completedFuture(DryRunResult.failed(503, "listener " + l.name() + " is failed: "
                    + l.state().failure(), l.name(), null, null));
        }
        s = l != null ? l.settings() : new ListenerSettings(new HashMap<>(DEFAULT_LISTENER));
        String listenerName = l != null ? s.name : null;
        String backendName = l != null ? s.backend : req.backend().get();
        CompletableFuture<DryRunResult> f = new CompletableFuture<>();
        f.thenAccept(r -> LOG.debug("dry run {} -> {}", req, r));

        HttpHead head = new HttpHead("GET", req.target(), "HTTP/1.1");
        for (Map.Entry<String, String> h : req.headers()) {
            head.headers.add(new String[] {h.getKey(), h.getValue()});
        }
        addIfAbsent(head, "Host", l != null ? l.address() : "localhost");
        addIfAbsent(head, "Upgrade", "websocket");
        addIfAbsent(head, "Connection", "Upgrade");
        addIfAbsent(head, "Sec-WebSocket-Version", "13");
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        addIfAbsent(head, "Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
        if (!req.cookies().isEmpty()) {
            StringJoiner j = new StringJoiner("; ");
            req.cookies().forEach((k, v) -> j.add(k + "=" + v));
            head.headers.add(new String[] {"Cookie", j.toString()});
        }
        if (!req.subprotocols().isEmpty()) {
            head.headers.add(new String[] {"Sec-WebSocket-Protocol", String.join(", ", req.subprotocols())});
        }
        HandshakeValidator.Valid valid;
        try {
            valid = HandshakeValidator.validate(head, s);
        } catch (HttpError e) {
            f.complete(DryRunResult.failed(e.status, e.getMessage(), listenerName, null, null));
            return f;
        }
        Request request = new Request(head, valid.subprotocols, req.remoteAddress(),
                listenerName != null ? listenerName : "-");
        ServiceTable.Entry<Backend> backend = backends.lookup(backendName);
        if (backend == null) {
            f.complete(DryRunResult.failed(503, "no backend named '" + backendName + "' is running", listenerName,
                    null, null));
            return f;
        }
        f.completeOnTimeout(DryRunResult.failed(504, "backend '" + backend.name + "' did not answer within "
                + s.connectTimeout + " s", listenerName, backend.name, null), s.connectTimeout, TimeUnit.SECONDS);
        try {
            RouteCheck.ask(runtime.routeExecutor(), backend, request, (route, failure) -> {
                try {
                    RouteCheck.Outcome out = RouteCheck.check(backend, request, route, failure, framers);
                    if (out.ok()) {
                        closeQuietly(out);
                        f.complete(DryRunResult.upgrade(listenerName, backend.name, out.route));
                    } else {
                        f.complete(DryRunResult.failed(out.status, out.cause, listenerName, backend.name, out.route));
                    }
                } catch (RuntimeException e) {
                    f.complete(DryRunResult.failed(500, "dry run failed: " + e, listenerName, backend.name, null));
                }
            });
        } catch (RejectedExecutionException e) {
            f.complete(DryRunResult.failed(503, "route executor saturated", listenerName, backend.name, null));
        }
        return f;
    }

    private static void addIfAbsent(HttpHead head, String name, String value) {
        if (head.first(name) == null) {
            head.headers.add(new String[] {name, value});
        }
    }

    private static void closeQuietly(RouteCheck.Outcome out) {
        try {
            out.state.close();
        } catch (RuntimeException e) {
            LOG.warn("framer '{}': close() of a dry-run state failed", out.framer.name, e);
        }
    }
}
