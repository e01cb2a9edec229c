package io.websocksy.bridge.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.bridge.internal.runtime.NettyRuntime;

/**
 * Stops every listener first when the framework shuts down (SIGTERM, SIGINT, {@code stop 0}).
 *
 * <p>The framework stops bundles in reverse start order, so plug-in framers and backends installed from the
 * deploy directory would stop before the bridge, and their clients would be closed with {@code framer
 * unavailable}. The system bundle's STOPPING event reaches a synchronous bundle listener before any bundle
 * stops; on it each listener stops accepting and closes its clients with 1001 {@code server shutting down}
 * while the framers and backends they use still run. A hook rather than start levels: it does not depend on
 * how the launcher, the deploy directory or a plug-in set start levels, and it also holds for plug-ins a
 * user drops in.
 */
@Component(immediate = true)
public final class ShutdownOrder implements SynchronousBundleListener {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownOrder.class);

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private BundleContext context;
    /** Its drain ({@code drain-delay}, {@code drain-timeout}) runs before the listeners stop. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NettyRuntime transport;

    @Reference(service = Listener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addListener(Listener l) {
        listeners.add(l);
    }

    void removeListener(Listener l) {
        listeners.remove(l);
    }

    @Activate
    void activate(BundleContext ctx) {
        context = ctx;
        ctx.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException gone) {
            // the bundle context is no longer valid: the listener went with it
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.STOPPING || event.getBundle().getBundleId() != Constants.SYSTEM_BUNDLE_ID) {
            return;
        }
        NettyRuntime t = transport;
        if (t != null && t.shutdownDrain() != null) {
            t.shutdownDrain().run();
        }
        if (!listeners.isEmpty()) {
            LOG.info("shutting down: stopping {} listeners before the framers and backends", listeners.size());
        }
        for (Listener l : listeners) {
            try {
                l.shutdown();
            } catch (RuntimeException e) {
                LOG.error("listener {} did not stop cleanly: {}", l.name(), e.toString());
            }
        }
    }
}
