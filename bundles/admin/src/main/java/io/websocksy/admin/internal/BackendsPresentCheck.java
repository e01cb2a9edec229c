package io.websocksy.admin.internal;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ListenerInfo;

/** Every backend a running listener names is present; else CRITICAL (its handshakes get 503). */
@Component(service = HealthCheck.class, property = {
    HealthCheck.NAME + "=websocksy backends present",
    HealthCheck.TAGS + "=ready",
    HealthCheck.TAGS + "=websocksy"})
public final class BackendsPresentCheck implements HealthCheck {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BridgeAdmin admin;

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        BridgeAdmin a = admin;
        if (a == null) {
            log.critical("the websocksy bridge is not running (no BridgeAdmin service)");
            return new Result(log);
        }
        for (ListenerInfo l : a.listeners()) {
            if (l.backendBound()) {
                log.info("listener {}: backend '{}' present", l.name(), l.backend());
            } else {
                log.critical("listener {} names backend '{}', which is not running (handshakes get 503)", l.name(),
                        l.backend());
            }
        }
        return new Result(log);
    }
}
