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

import io.websocksy.api.backend.Backend;

/**
 * Backend services by instance name ({@code websocksy.backend.name}). When a backend service goes
 * away, the connections it routed are closed with 1001.
 */
@Component(service = BackendRegistry.class, immediate = true)
public final class BackendRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(BackendRegistry.class);
    private final ServiceTable<Backend> table = new ServiceTable<>("backend", Backend.NAME, LOG);

    @Reference
    private ConnectionRegistry connections;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addBackend(ServiceReference<Backend> ref, Backend backend) {
        table.add(ref, backend);
    }

    void updatedBackend(ServiceReference<Backend> ref, Backend backend) {
        // a reconfigured backend keeps serving its open connections; only its name may have changed
        table.remove(ref);
        table.add(ref, backend);
    }

    public void removeBackend(ServiceReference<Backend> ref) {
        table.remove(ref);
        connections.closeUsing(ref, 1001, "backend unavailable");
    }

    public ServiceTable.Entry<Backend> lookup(String name) {
        return table.lookup(name);
    }

    /** @return all bound backends */
    public List<ServiceTable.Entry<Backend>> all() {
        return table.all();
    }
}
