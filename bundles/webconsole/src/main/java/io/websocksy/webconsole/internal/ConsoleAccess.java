package io.websocksy.webconsole.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code websocksy.console} and registers the {@link ConsoleSecurityProvider} (id {@code websocksy}, ranking
 * 1000) only while it holds a valid user name and password. A bad configuration is one ERROR line naming the
 * problem and no provider, so the Web Console stays unregistered (no activation failure, no stack trace).
 */
@Component(service = {}, immediate = true, configurationPid = ConsoleConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ConsoleConfig.class)
public final class ConsoleAccess {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAccess.class);
    private final BundleContext context;
    private ServiceRegistration<SecurityProvider> registration;

    /**
     * @param context this bundle's context
     * @param config the configuration
     */
    @Activate
    public ConsoleAccess(BundleContext context, ConsoleConfig config) {
        this.context = context;
        apply(config);
    }

    @Modified
    synchronized void apply(ConsoleConfig config) {
        ConsoleSecurityProvider provider;
        try {
            provider = new ConsoleSecurityProvider(config);
        } catch (IllegalArgumentException e) {
            unregister();
            LOG.error("Web Console stays off: {}.cfg: {}", ConsoleConfig.PID, e.getMessage());
            return;
        }
        unregister();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SecurityProvider.PROPERTY_ID, "websocksy");
        props.put("service.ranking", 1000);
        registration = context.registerService(SecurityProvider.class, provider, props);
    }

    @Deactivate
    synchronized void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException gone) {
                // the bundle is stopping
            }
            registration = null;
        }
    }
}
