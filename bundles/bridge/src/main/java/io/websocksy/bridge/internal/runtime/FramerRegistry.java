package io.websocksy.bridge.internal.runtime;

import java.util.List;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.framer.Framer;

/**
 * Framer services by name. When a framer service goes away, every connection that was opened with it
 * is closed with 1001 (docs/behaviour.md#hot-plug).
 */
@Component(service = FramerRegistry.class, immediate = true)
public final class FramerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(FramerRegistry.class);
    private final ServiceTable<Framer> table = new ServiceTable<>("framer", Framer.NAME, LOG);

    @Reference
    private ConnectionRegistry connections;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addFramer(ServiceReference<Framer> ref, Framer framer) {
        table.add(ref, framer);
    }

    void updatedFramer(ServiceReference<Framer> ref, Framer framer) {
        table.remove(ref);
        table.add(ref, framer);
    }

    void removeFramer(ServiceReference<Framer> ref) {
        table.remove(ref);
        connections.closeUsing(ref, 1001, "framer unavailable");
    }

    public ServiceTable.Entry<Framer> lookup(String name) {
        return table.lookup(name);
    }

    /** @return all bound framers */
    public List<ServiceTable.Entry<Framer>> all() {
        return table.all();
    }
}
