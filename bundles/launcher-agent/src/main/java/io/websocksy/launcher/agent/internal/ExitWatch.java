package io.websocksy.launcher.agent.internal;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ListenerInfo;

/**
 * websockify's {@code --idle-timeout N} (exit after N seconds without an open connection),
 * {@code --timeout N} (exit once N seconds have passed since start and no connection is open) and
 * {@code --run-once} (exit when the first bridged connection has closed): watches the listener
 * {@code main} through {@link BridgeAdmin} twice a second and stops the framework (exit status 0) with
 * one log line saying why.
 */
final class ExitWatch implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExitWatch.class);

    private final BundleContext context;
    private final long idleMillis;
    private final long timeoutMillis;
    private final boolean runOnce;
    private final long start = System.nanoTime();

    private ExitWatch(BundleContext context, List<LaunchSpec.Setting> when) {
        this.context = context;
        long idle = 0;
        long timeout = 0;
        boolean once = false;
        for (LaunchSpec.Setting s : when) {
            switch (s.key) {
                case "idle-timeout":
                    idle = Long.parseLong(s.value) * 1000;
                    break;
                case "timeout":
                    timeout = Long.parseLong(s.value) * 1000;
                    break;
                case "run-once":
                    once = Boolean.parseBoolean(s.value);
                    break;
                default:
                    LOG.warn("unknown exit condition {}", s);
            }
        }
        idleMillis = idle;
        timeoutMillis = timeout;
        runOnce = once;
    }

    static void start(BundleContext context, List<LaunchSpec.Setting> when) {
        Thread t = new Thread(new ExitWatch(context, when), "websocksy-exit-watch");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        long idleSince = System.nanoTime();
        try {
            while (true) {
                Thread.sleep(500);
                ListenerInfo l = listener();
                if (l == null) {
                    continue;
                }
                long now = System.nanoTime();
                if (l.open() > 0) {
                    idleSince = now;
                    continue;
                }
                String why = null;
                if (idleMillis > 0 && (now - idleSince) / 1_000_000 >= idleMillis) {
                    why = "--idle-timeout " + idleMillis / 1000 + ": no open connection for " + idleMillis / 1000 + " s";
                } else if (timeoutMillis > 0 && (now - start) / 1_000_000 >= timeoutMillis) {
                    why = "--timeout " + timeoutMillis / 1000 + ": " + timeoutMillis / 1000 + " s since start";
                } else if (runOnce && l.upgraded() > 0) {
                    why = "--run-once: the connection has closed";
                }
                if (why != null) {
                    LOG.info("stopping ({})", why);
                    context.getBundle(0).stop();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("cannot stop the framework: {}", e.toString());
        }
    }

    private ListenerInfo listener() {
        ServiceReference<BridgeAdmin> ref;
        try {
            ref = context.getServiceReference(BridgeAdmin.class);
        } catch (IllegalStateException e) {
            return null;
        }
        if (ref == null) {
            return null;
        }
        BridgeAdmin admin = context.getService(ref);
        try {
            if (admin == null) {
                return null;
            }
            for (ListenerInfo l : admin.listeners()) {
                if (l.name().equals(LaunchAgent.INSTANCE)) {
                    return l;
                }
            }
            return null;
        } finally {
            context.ungetService(ref);
        }
    }
}
