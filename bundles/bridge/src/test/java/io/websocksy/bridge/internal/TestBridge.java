package io.websocksy.bridge.internal;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.HandshakeRequest;
import io.websocksy.api.backend.Route;
import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramingState;
import java.nio.ByteBuffer;
import io.websocksy.api.framer.Utf8;
import io.websocksy.bridge.internal.runtime.BackendRegistry;
import io.websocksy.bridge.internal.runtime.ConnectionRegistry;
import io.websocksy.bridge.internal.runtime.FramerRegistry;
import io.websocksy.bridge.internal.runtime.NettyRuntime;

/** The bridge's components wired by hand (no OSGi), bound to a free loopback port. */
public final class TestBridge implements AutoCloseable {
    public final NettyRuntime transport = new NettyRuntime();
    public final ConnectionRegistry connections = new ConnectionRegistry();
    public final FramerRegistry framers = new FramerRegistry();
    public final BackendRegistry backends = new BackendRegistry();
    public final Listener listener = new Listener();

    public TestBridge(Map<String, Object> extra) throws Exception {
        this(extra, Map.of());
    }

    public TestBridge(Map<String, Object> extra, Map<String, Object> transportProps) throws Exception {
        LeakGuard.install();
        transport.activate(new HashMap<>(transportProps));
        set(framers, "connections", connections);
        set(backends, "connections", connections);
        set(listener, "runtime", transport);
        set(listener, "framers", framers);
        set(listener, "backends", backends);
        set(listener, "connections", connections);
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", "websocksy.listener~test");
        props.put("listen", "127.0.0.1");
        props.put("port", "0");
        props.put("backend", "main");
        props.putAll(extra);
        framer("auto", cfg -> new FramingState() {
            @Override
            public Decision next(ByteBuffer buf) {
                return buf.hasRemaining() ? datagram(buf) : Decision.needMore();
            }

            @Override
            public Decision datagram(ByteBuffer buf) {
                return Utf8.isValid(buf) ? Decision.text(buf.remaining()) : Decision.binary(buf.remaining());
            }
        });
        framer("binary", cfg -> buf -> buf.hasRemaining() ? Decision.binary(buf.remaining()) : Decision.needMore());
        listener.activate(props);
    }

    public int port() {
        return listener.boundAddress().getPort();
    }

    public FakeRef<Framer> framer(String name, Framer f) {
        FakeRef<Framer> ref = new FakeRef<>(Map.of(Framer.NAME, name));
        framers.addFramer(ref, f);
        return ref;
    }

    public FakeRef<Backend> backend(String name, Function<HandshakeRequest, Optional<Route>> f) {
        FakeRef<Backend> ref = new FakeRef<>(Map.of(Backend.NAME, name));
        backends.addBackend(ref, req -> CompletableFuture.completedFuture(f.apply(req)));
        return ref;
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    @Override
    public void close() {
        listener.deactivate();
        transport.deactivate();
    }
}
