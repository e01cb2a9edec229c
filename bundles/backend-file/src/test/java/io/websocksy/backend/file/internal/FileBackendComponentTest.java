package io.websocksy.backend.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.BackendHealth;
import io.websocksy.api.backend.Route;

class FileBackendComponentTest {
    private static final String PID = "websocksy.backend.file~tokens";
    private static final long WAIT = 30;

    @TempDir
    Path dir;
    FileBackendComponent component;

    /** What the fake framework saw. */
    final List<Dictionary<String, ?>> registered = new CopyOnWriteArrayList<>();
    final List<Dictionary<String, ?>> updated = new CopyOnWriteArrayList<>();
    final List<String> unregistered = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void files() throws IOException {
        Files.write(dir.resolve("vnc.txt"), "tcp://vnc:5900 * binary\n".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        if (component != null && component.executor() != null) {
            component.deactivate();
        }
    }

    private BundleContext context() {
        ServiceRegistration<?> reg = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setProperties":
                            @SuppressWarnings("unchecked")
                            Dictionary<String, ?> d = (Dictionary<String, ?>) a[0];
                            updated.add(d);
                            return null;
                        case "unregister":
                            unregistered.add("unregister");
                            return null;
                        default:
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, a) -> {
                    if (m.getName().equals("registerService") && a[0] == Backend.class) {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, ?> d = (Dictionary<String, ?>) a[2];
                        registered.add(d);
                        return reg;
                    }
                    if (m.getName().equals("registerService") && a[0] == BackendHealth.class) {
                        // a failed configuration's health (BackendRegistration.failed)
                        @SuppressWarnings("unchecked")
                        Dictionary<String, ?> d = (Dictionary<String, ?>) a[2];
                        failures.add(String.valueOf(d.get(BackendHealth.FAILURE)));
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (p2, m2, a2) -> {
                                    if (m2.getName().equals("unregister")) {
                                        failures.add("withdrawn");
                                        return null;
                                    }
                                    throw new UnsupportedOperationException(m2.getName());
                                });
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static Map<String, Object> props() {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", PID);
        m.put("component.name", "io.websocksy.backend.file.internal.FileBackendComponent");
        return m;
    }

    private FileBackendComponent start(FileAccess fs, Map<String, Object> config) {
        component = new FileBackendComponent(fs);
        component.activate(context(), Configs.config(config), props());
        return component;
    }

    @Test
    void registersTheBackendUnderTheInstanceName() {
        start(FileAccess.SYSTEM, Map.of("path", dir.toString()));
        assertEquals(1, registered.size());
        assertEquals("tokens", registered.get(0).get(Backend.NAME));
    }

    @Test
    void routeReadsFilesOnABackendThreadNotTheCallersThread() throws Exception {
        SpyFiles spy = new SpyFiles();
        List<Boolean> daemon = new CopyOnWriteArrayList<>();
        FileAccess watching = new SpyFiles() {
            @Override
            public byte[] read(Path p, int limit) throws IOException {
                daemon.add(Thread.currentThread().isDaemon());
                return spy.read(p, limit);
            }

            @Override
            public Path realPath(Path p) throws IOException {
                return spy.realPath(p);
            }
        };
        start(watching, Map.of("path", dir.toString(), "name", "vnc"));
        Optional<Route> r = component.route(TestRequest.path("/vnc")).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertEquals("tcp://vnc:5900", r.orElseThrow().peer().toString());
        assertEquals("binary", r.get().framer());
        assertFalse(spy.threads.isEmpty());
        for (String t : spy.threads) {
            assertNotEquals(Thread.currentThread().getName(), t);
            assertTrue(t.startsWith("websocksy-file-backend-vnc-"), t);
        }
        assertEquals(List.of(true), daemon);
    }

    /** A route look-up stuck on a slow file system does not hold up the caller (docs/conformance.md R11). */
    @Test
    void r11RouteReturnsAtOnceWhileTheFileSystemIsSlow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(blocking(release), Map.of("path", dir.toString()));
        CompletableFuture<Optional<Route>> f = component.route(TestRequest.path("/vnc")).toCompletableFuture();
        assertFalse(f.isDone(), "route() must not wait for the file system");
        release.countDown();
        assertEquals("tcp://vnc:5900", f.get(WAIT, TimeUnit.SECONDS).orElseThrow().peer().toString());
    }

    @Test
    void saturatedQueueFailsAtOnceAndStopFailsWhatWasQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(blocking(release), Map.of("path", dir.toString()));
        List<CompletableFuture<Optional<Route>>> pending = new ArrayList<>();
        for (int i = 0; i < FileBackendComponent.THREADS + FileBackendComponent.QUEUE; i++) {
            pending.add(component.route(TestRequest.path("/vnc")).toCompletableFuture());
        }
        CompletableFuture<Optional<Route>> refused = component.route(TestRequest.path("/vnc")).toCompletableFuture();
        assertTrue(refused.isCompletedExceptionally());
        ExecutionException e = assertThrows(ExecutionException.class, refused::get);
        assertTrue(e.getCause() instanceof RejectedExecutionException, e.toString());
        assertTrue(e.getCause().getMessage().contains("already queued"), e.getCause().getMessage());

        component.deactivate();
        release.countDown();
        int stopped = 0;
        for (CompletableFuture<Optional<Route>> f : pending) {
            try {
                f.get(WAIT, TimeUnit.SECONDS);
            } catch (ExecutionException x) {
                assertTrue(x.getCause().getMessage().contains("file backend stopped"), x.getCause().toString());
                stopped++;
            }
        }
        assertTrue(stopped >= FileBackendComponent.QUEUE, "queued look-ups fail when the backend stops: " + stopped);
        assertEquals(List.of("unregister"), unregistered);
        CompletableFuture<Optional<Route>> after = component.route(TestRequest.path("/vnc")).toCompletableFuture();
        assertTrue(after.isCompletedExceptionally());
    }

    @Test
    void badModifiedKeepsTheWorkingConfiguration() throws Exception {
        start(FileAccess.SYSTEM, Map.of("path", dir.toString()));
        Path missing = dir.resolve("missing");
        component.modified(Configs.config(Map.of("path", missing.toString(), "name", "other")), props());
        component.modified(Configs.config(Map.of("path", dir.toString(), "expression", "%nope%")), props());
        assertEquals(null, component.failure(), "a rejected update does not fail a running backend");

        assertEquals("tokens", component.settings().name());
        assertTrue(updated.isEmpty());
        Optional<Route> r = component.route(TestRequest.path("/vnc")).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertEquals("tcp://vnc:5900", r.orElseThrow().peer().toString());
    }

    @Test
    void modifiedAppliesNewTemplatesAndName() throws Exception {
        Files.write(dir.resolve("default.txt"), "tcp://default:1 *\n".getBytes(StandardCharsets.UTF_8));
        start(FileAccess.SYSTEM, Map.of("path", dir.toString()));
        component.modified(Configs.config(Map.of("path", dir.toString(), "expression", "default.txt")), props());
        assertTrue(updated.isEmpty(), "same name: service properties untouched");
        assertEquals("tcp://default:1", component.route(TestRequest.path("/vnc")).toCompletableFuture()
                .get(WAIT, TimeUnit.SECONDS).orElseThrow().peer().toString());

        component.modified(Configs.config(Map.of("path", dir.toString(), "name", "renamed")), props());
        assertEquals(1, updated.size());
        assertEquals("renamed", updated.get(0).get(Backend.NAME));
    }

    @Test
    void activationWithABadConfigurationFailsNamingPidKeyAndValueThenRecovers() throws Exception {
        component = new FileBackendComponent();
        component.activate(context(), Configs.config(Map.of("path", dir.toString(), "expression", "a.txt, %header:%")),
                props());
        assertEquals(PID + ": expression = '%header:%': variable '%header:%' has no name", component.failure());
        assertTrue(registered.isEmpty());
        assertEquals(List.of(component.failure()), failures, "the failure is published for health and the launcher");
        assertEquals(null, component.executor());

        component.modified(Configs.config(Map.of("path", dir.toString())), props());
        assertEquals(null, component.failure());
        assertEquals("withdrawn", failures.get(failures.size() - 1), "the failure is withdrawn once the backend runs");
        assertEquals(1, registered.size());
        assertEquals("tokens", registered.get(0).get(Backend.NAME));
        Optional<Route> r = component.route(TestRequest.path("/vnc")).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertEquals("tcp://vnc:5900", r.orElseThrow().peer().toString());
    }

    @Test
    void noRouteIsAnEmptyResultNotAFailure() throws Exception {
        start(FileAccess.SYSTEM, Map.of("path", dir.toString()));
        Optional<Route> r = component.route(TestRequest.path("/nosuch")).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertNotNull(r);
        assertEquals(Optional.empty(), r);
    }

    /** Resolves paths only once {@code release} opens; an interrupt (the backend stopping) is an I/O error. */
    private static FileAccess blocking(CountDownLatch release) {
        return new SpyFiles() {
            @Override
            public Path realPath(Path p) throws IOException {
                try {
                    if (!release.await(WAIT, TimeUnit.SECONDS)) {
                        throw new IOException("test latch never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
                return super.realPath(p);
            }
        };
    }
}
