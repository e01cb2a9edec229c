package io.websocksy.backend.defaults.internal;

import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;

/**
 * Checks a default backend's {@code framing} and {@code framing-config} when its configuration is applied,
 * and WARNs naming the file, the key, the value and the framers installed. It does not reject: the framer
 * may be a plug-in that arrives later (until then clients routed here get 503; a config the framer rejects
 * gives 500). The check runs {@value #GRACE_SECONDS} s after the configuration, so that framers deployed
 * with it at start-up have registered.
 */
final class FramingCheck {
    static final int GRACE_SECONDS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(DefaultBackendComponent.class);

    private FramingCheck() {
    }

    /**
     * @param context the backend's bundle context
     * @param route   the settings just applied
     * @param source  file and PID for the message
     * @param current whether those settings are still the ones in force when the check runs
     */
    static void schedule(BundleContext context, DefaultRoute route, String source, Supplier<Boolean> current) {
        CompletableFuture.runAsync(() -> {
            if (current.get()) {
                check(context, route.framing(), route.framingConfig(), source);
            }
        }, CompletableFuture.delayedExecutor(GRACE_SECONDS, TimeUnit.SECONDS));
    }

    static void check(BundleContext context, String framing, String framingConfig, String source) {
        try {
            Collection<ServiceReference<Framer>> refs = context.getServiceReferences(Framer.class,
                    "(" + Framer.NAME + "=" + ldapEscape(framing) + ")");
            if (refs.isEmpty()) {
                LOG.warn("{}: framing = '{}': no framer of that name is installed (installed: {}); clients routed "
                        + "here get 503 until one is", source, framing, installed(context));
                return;
            }
            ServiceReference<Framer> ref = refs.stream().max(ServiceReference::compareTo).orElseThrow();
            Framer f = context.getService(ref);
            if (f == null) {
                return; // went away meanwhile
            }
            try {
                FramingState st = f.open(framingConfig);
                st.close();
            } catch (FramerConfigException e) {
                LOG.warn("{}: framing-config = '{}': {}; clients routed here get 500 until it is corrected", source,
                        framingConfig, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("{}: framing-config = '{}': framer '{}' failed to open: {}", source, framingConfig, framing,
                        e.toString());
            } finally {
                context.ungetService(ref);
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // a name that cannot be put in a filter is reported per connection; a stopped bundle has no context
        }
    }

    private static String installed(BundleContext context) throws InvalidSyntaxException {
        TreeSet<String> names = new TreeSet<>();
        for (ServiceReference<Framer> r : context.getServiceReferences(Framer.class, null)) {
            Object n = r.getProperty(Framer.NAME);
            if (n != null) {
                names.add(n.toString());
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String ldapEscape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (char c : v.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
