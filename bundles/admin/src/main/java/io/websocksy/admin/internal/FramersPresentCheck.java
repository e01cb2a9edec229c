package io.websocksy.admin.internal;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ServiceInfo;

/**
 * Every framer named by a backend's configuration (the {@code framing} property of any
 * {@code websocksy.backend.*} configuration) is installed; else CRITICAL (that backend's handshakes get
 * 503).
 */
@Component(service = HealthCheck.class, property = {
    HealthCheck.NAME + "=websocksy framers present",
    HealthCheck.TAGS + "=ready",
    HealthCheck.TAGS + "=websocksy"})
public final class FramersPresentCheck implements HealthCheck {
    @Reference
    private ConfigurationAdmin cm;
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
        Set<String> installed = a.framers().stream().map(ServiceInfo::name).collect(Collectors.toSet());
        Configuration[] configs;
        try {
            configs = cm.listConfigurations("(service.factoryPid=websocksy.backend.*)");
        } catch (IOException | InvalidSyntaxException e) {
            log.healthCheckError("cannot list the backend configurations: {}", e.toString());
            return new Result(log);
        }
        Set<String> named = new TreeSet<>();
        if (configs != null) {
            for (Configuration c : configs) {
                Object f = c.getProperties() == null ? null : c.getProperties().get("framing");
                if (f != null && !String.valueOf(f).isBlank()) {
                    String name = String.valueOf(f).trim();
                    if (!installed.contains(name)) {
                        log.critical("backend configuration {} names framer '{}', which is not installed", c.getPid(),
                                name);
                    }
                    named.add(name);
                }
            }
        }
        log.info("framers named by backend configurations: {}; installed: {}", named, new TreeSet<>(installed));
        return new Result(log);
    }
}
