package io.websocksy.backend.file.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.HandshakeRequest;
import io.websocksy.api.backend.Route;
import io.websocksy.backend.registration.BackendLifecycle;

/**
 * The file backend (docs/behaviour.md#backends, #relay): the route of each connection comes from a file found by expanding
 * templates under a base directory. One instance per factory configuration
 * {@code websocksy.backend.file~<instance>}.
 *
 * <p>File reads never run on the caller's thread: {@link #route} queues the look-up on this instance's own
 * small pool (daemon threads {@code websocksy-file-backend-<name>-N}) and returns at once. When the queue is
 * full the stage fails at once (the client gets 500 and the bridge logs it) instead of piling up work.
 *
 * <p>As the default backend does, the component registers its {@link Backend} service itself, so that a
 * rejected {@code @Modified} leaves the published {@code websocksy.backend.name} alone.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.websocksy.api.backend.Backend",
        uses = Backend.class)
@Component(
        configurationPid = FileBackendComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true,
        service = {})
@Designate(ocd = Config.class, factory = true)
public final class FileBackendComponent implements Backend {
    static final String PID = "websocksy.backend.file";
    /** Look-up threads per instance. */
    static final int THREADS = 2;
    /** Look-ups that may wait for a thread; more fail at once. */
    static final int QUEUE = 256;

    private static final Logger LOG = LoggerFactory.getLogger(FileBackendComponent.class);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final FileAccess fs;
    private final RateLimit rejectedLimit = new RateLimit(20, MINUTE, System::nanoTime);
    private final RateLimit problemLimit = new RateLimit(50, MINUTE, System::nanoTime);
    private final RateLimit failureLimit = new RateLimit(10, MINUTE, System::nanoTime);
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final FileRouter.Events events = new FileRouter.Events() {
        @Override
        public void rejected(String message) {
            warn(rejectedLimit, message);
        }

        @Override
        public void fileProblem(String message) {
            warn(problemLimit, message);
        }

        @Override
        public void debug(Supplier<String> message) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(message.get());
            }
        }
    };

    /** The current routing rule; replaced as a whole, read without locking by {@link #route}. */
    private volatile FileRouter router;
    private volatile ThreadPoolExecutor executor;
    private volatile String threadPrefix = "websocksy-file-backend-";
    private final BackendLifecycle<FileSettings> lifecycle = new BackendLifecycle<>("file backend", PID,
            Config.class, LOG, this, true, // route() hands the look-up to its own executor: never blocks
            new BackendLifecycle.Hooks<>() {
                @Override
                public void start(FileSettings s) {
                    threadPrefix = "websocksy-file-backend-" + s.name() + "-";
                    ThreadPoolExecutor ex = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                            new ArrayBlockingQueue<>(QUEUE), r -> {
                                Thread t = new Thread(r, threadPrefix + threadNumber.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            }, new ThreadPoolExecutor.AbortPolicy());
                    ex.allowCoreThreadTimeOut(true);
                    executor = ex;
                    router = new FileRouter(s, fs, events, lifecycle.pid());
                }

                @Override
                public void apply(FileSettings s) {
                    router = new FileRouter(s, fs, events, lifecycle.pid());
                    threadPrefix = "websocksy-file-backend-" + s.name() + "-";
                }

                @Override
                public String name(FileSettings s) {
                    return s.name();
                }

                @Override
                public String describe(FileSettings s) {
                    return s.describe();
                }
            }); // guarded by this

    /** Used by Declarative Services. */
    public FileBackendComponent() {
        this(FileAccess.SYSTEM);
    }

    FileBackendComponent(FileAccess fs) {
        this.fs = fs;
    }

    /**
     * Starts the backend; a configuration it cannot use leaves it active but unregistered (failed, one
     * error line) until a corrected configuration arrives ({@link BackendLifecycle}).
     */
    @Activate
    synchronized void activate(BundleContext context, Config config, Map<String, Object> properties) {
        lifecycle.activate(context, properties, instance -> FileSettings.parse(config, instance));
    }

    /**
     * Applies a changed configuration. Everything is validated first; a bad value is logged once with the
     * file, key and value and leaves the previous configuration serving. A failed backend starts with a
     * corrected configuration.
     */
    @Modified
    synchronized void modified(Config config, Map<String, Object> properties) {
        lifecycle.modified(properties, instance -> FileSettings.parse(config, instance));
    }

    /** @return the error of a failed configuration, or null while the backend runs (tests) */
    synchronized String failure() {
        return lifecycle.failure();
    }

    @Deactivate
    synchronized void deactivate() {
        lifecycle.deactivate();
        String pid = lifecycle.pid();
        ThreadPoolExecutor ex = executor;
        executor = null;
        if (ex != null) {
            List<Runnable> queued = ex.shutdownNow();
            for (Runnable r : queued) {
                if (r instanceof Lookup) {
                    ((Lookup) r).future.completeExceptionally(new IllegalStateException(pid + ": file backend stopped"));
                }
            }
        }
        LOG.info("{}: file backend stopped", pid);
    }

    @Override
    public CompletionStage<Optional<Route>> route(HandshakeRequest request) {
        FileRouter r = router;
        ThreadPoolExecutor ex = executor;
        if (r == null || ex == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(lifecycle.pid() + ": file backend is not active"));
        }
        Lookup task = new Lookup(r, request);
        try {
            ex.execute(task);
        } catch (RejectedExecutionException e) {
            String msg = ex.isShutdown() ? lifecycle.pid() + ": file backend stopped"
                    : lifecycle.pid() + ": " + QUEUE + " route look-ups already queued; refusing this one";
            warn(failureLimit, msg);
            return CompletableFuture.failedFuture(new RejectedExecutionException(msg));
        }
        return task.future.minimalCompletionStage();
    }

    /** One queued look-up; {@link #deactivate} fails those that never ran. */
    private final class Lookup implements Runnable {
        final CompletableFuture<Optional<Route>> future = new CompletableFuture<>();
        private final FileRouter router;
        private final HandshakeRequest request;

        Lookup(FileRouter router, HandshakeRequest request) {
            this.router = router;
            this.request = request;
        }

        @Override
        public void run() {
            try {
                future.complete(router.route(request));
            } catch (RuntimeException | Error e) {
                if (failureLimit.admit() >= 0) {
                    LOG.error("{}: route look-up for '{}' failed", lifecycle.pid(), LogText.quote(request.path()), e);
                }
                future.completeExceptionally(e);
            }
        }
    }

    private static void warn(RateLimit limit, String message) {
        long suppressed = limit.admit();
        if (suppressed < 0) {
            return;
        }
        if (suppressed > 0) {
            LOG.warn("{} ({} similar lines suppressed)", message, suppressed);
        } else {
            LOG.warn(message);
        }
    }

    /** @return the current settings (for tests) */
    FileSettings settings() {
        return router.settings();
    }

    /** @return the pool (for tests) */
    ThreadPoolExecutor executor() {
        return executor;
    }
}
