package io.websocksy.bridge.internal.handshake;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

import io.websocksy.api.backend.Backend;
import io.websocksy.api.backend.Route;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.bridge.internal.runtime.FramerRegistry;
import io.websocksy.bridge.internal.runtime.ServiceTable;

/**
 * The route steps that a handshake ({@link UpgradeHandler}) and a dry run ({@code admin.Admin}) share, so
 * both give the same status for the same answer: ask the backend on the route executor, then check
 * the answer (404 no route, 500 backend failure or a subprotocol the client did not offer, 503 framer
 * not installed, 500 framer config rejected, 502 peer without port). Nothing here connects.
 */
public final class RouteCheck {
    private RouteCheck() {
    }

    /** What the checks concluded: a failure status and cause, or a usable route with its open framing state. */
    public static final class Outcome {
        /** 0 when usable, else the HTTP status. */
        public final int status;
        public final String cause;
        /** The backend's route (subprotocol spelled as the client offered it), or null when it gave none. */
        public final Route route;
        public final ServiceTable.Entry<Framer> framer;
        /** Open framing state when usable; the caller owns it and must close it. */
        public final FramingState state;

        private Outcome(int status, String cause, Route route, ServiceTable.Entry<Framer> framer, FramingState state) {
            this.status = status;
            this.cause = cause;
            this.route = route;
            this.framer = framer;
            this.state = state;
        }

        public boolean ok() {
            return status == 0;
        }

        static Outcome fail(int status, String cause, Route route) {
            return new Outcome(status, cause, route, null, null);
        }
    }

    /**
     * Asks the backend for a route: on the route executor, or on the calling thread when the backend's service
     * says {@link Backend#INLINE} (its {@code route()} never blocks: the hop to the executor and back is saved).
     * {@code done} runs on whatever thread completes the backend's stage (or where {@code route()} threw).
     *
     * @throws RejectedExecutionException when the route executor is saturated (the caller answers 503)
     */
    public static void ask(Executor routeExecutor, ServiceTable.Entry<Backend> backend, Request req,
            BiConsumer<Optional<Route>, Throwable> done) {
        if (inline(backend)) {
            askHere(backend.service, req, done);
        } else {
            routeExecutor.execute(() -> askHere(backend.service, req, done));
        }
    }

    private static boolean inline(ServiceTable.Entry<Backend> backend) {
        Object v = backend.ref == null ? null : backend.ref.getProperty(Backend.INLINE);
        return Boolean.TRUE.equals(v) || "true".equals(v);
    }

    private static void askHere(Backend backend, Request req, BiConsumer<Optional<Route>, Throwable> done) {
        CompletionStage<Optional<Route>> stage;
        try {
            stage = backend.route(req);
            if (stage == null) {
                throw new IllegalStateException("route() returned null");
            }
        } catch (Throwable t) {
            done.accept(null, t);
            return;
        }
        stage.whenComplete(done);
    }

    /**
     * Checks a backend's answer and opens the framer (docs/behaviour.md#handshake, #peers).
     *
     * @param backend the backend that answered
     * @param req the request
     * @param result its answer, null or empty for "no route"
     * @param failure its failure, or null
     * @param framers the framer registry
     * @return the outcome; when {@link Outcome#ok()}, {@link Outcome#state} is open and owned by the caller
     */
    public static Outcome check(ServiceTable.Entry<Backend> backend, Request req, Optional<Route> result,
            Throwable failure, FramerRegistry framers) {
        if (failure != null) {
            io.websocksy.api.backend.RouteException chosen = BackendFailure.chosen(failure);
            if (chosen != null) {
                return Outcome.fail(chosen.status(), BackendFailure.describe(backend.name, chosen), null);
            }
            return Outcome.fail(500, "backend '" + backend.name + "' failed: " + failure, null);
        }
        if (result == null || result.isEmpty()) {
            return Outcome.fail(404, "backend '" + backend.name + "' has no route for " + req.path(), null);
        }
        Route route = result.get();
        String proto = route.subprotocol().orElse(null);
        if (proto != null) {
            String offered = null;
            for (String o : req.subprotocols()) {
                if (o.equalsIgnoreCase(proto)) {
                    offered = o;
                    break;
                }
            }
            if (offered == null) {
                return Outcome.fail(500, "backend '" + backend.name + "' chose subprotocol '" + proto
                        + "' which the client did not offer", route);
            }
            route = Route.to(route.peer()).framer(route.framer()).framerConfig(route.framerConfig())
                    .subprotocol(offered).peerProxyProtocol(route.peerProxyProtocol())
                    .watch(route.watch().orElse(null)).build();
        }
        ServiceTable.Entry<Framer> framer = framers.lookup(route.framer());
        if (framer == null) {
            return Outcome.fail(503, "framer '" + route.framer() + "' is not installed", route);
        }
        FramingState state;
        try {
            state = framer.service.open(route.framerConfig());
            if (state == null) {
                throw new FramerConfigException("open() returned null");
            }
        } catch (FramerConfigException e) {
            return Outcome.fail(500, "framer '" + route.framer() + "' rejects config '" + route.framerConfig()
                    + "': " + e.getMessage(), route);
        } catch (RuntimeException e) {
            return Outcome.fail(500, "framer '" + route.framer() + "' failed to open: " + e, route);
        }
        if (!route.peer().isComplete()) {
            state.close();
            return Outcome.fail(502, "peer address " + route.peer() + " has no port", route);
        }
        return new Outcome(0, "", route, framer, state);
    }
}
