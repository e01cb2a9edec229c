package io.websocksy.admin.internal;

import java.util.Map;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ListenerInfo;

/**
 * Every configured listener is bound: each configuration of the listener component is active and its
 * listener accepting, else CRITICAL with the reason (the activation failure SCR recorded, such as the
 * address in use). A draining listener is a WARN (an administrator asked for it).
 */
@Component(service = HealthCheck.class, property = {
    HealthCheck.NAME + "=websocksy listeners bound",
    HealthCheck.TAGS + "=ready",
    HealthCheck.TAGS + "=websocksy"})
public final class ListenersBoundCheck implements HealthCheck {
    static final String LISTENER_COMPONENT = "io.websocksy.bridge.internal.Listener";
    static final String LISTENER_PID = "websocksy.listener";

    @Reference
    private ServiceComponentRuntime scr;
    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    private volatile BridgeAdmin admin;

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        BridgeAdmin a = admin;
        if (a == null) {
            log.critical("the websocksy bridge is not running (no BridgeAdmin service)");
            return new Result(log);
        }
        Map<String, ListenerInfo> running = new java.util.HashMap<>();
        for (ListenerInfo l : a.listeners()) {
            running.put(l.name(), l);
        }
        int configured = 0;
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!LISTENER_COMPONENT.equals(d.name)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                configured++;
                String name = nameOf(c.properties.get("service.pid"));
                ListenerInfo info = running.get(name);
                if (c.state == ComponentConfigurationDTO.ACTIVE && info != null) {
                    switch (info.state()) {
                        case LISTENING:
                            log.info("listener {} listening on {}", name, info.address());
                            break;
                        case DRAINING:
                        case DRAINED:
                            log.warn("listener {} is {} (not accepting; websocksy:resume {} binds it again)", name,
                                    info.state().name().toLowerCase(java.util.Locale.ROOT), name);
                            break;
                        default:
                            log.critical("listener {} is not bound: {}", name, info.failure().orElse(info.state().name()));
                    }
                } else if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    log.critical("listener {} is not bound: {}", name, c.failure == null ? "activation failed" : firstLine(c.failure));
                } else {
                    log.critical("listener {} is not bound: component {}", name, state(c.state));
                }
            }
        }
        if (configured == 0) {
            log.warn("no listener is configured (add a {}-<name>.cfg)", LISTENER_PID);
        }
        return new Result(log);
    }

    static String nameOf(Object pid) {
        String p = String.valueOf(pid);
        int tilde = p.lastIndexOf('~');
        if (tilde >= 0) {
            return p.substring(tilde + 1);
        }
        int dot = p.lastIndexOf('.');
        return dot >= 0 ? p.substring(dot + 1) : p;
    }

    static String firstLine(String s) {
        // SCR's failure text is a stack trace; its first line is the exception and its message
        int nl = s.indexOf('\n');
        String line = (nl >= 0 ? s.substring(0, nl) : s).trim();
        return line.replaceFirst("^[\\w.$]+Exception: ", "");
    }

    static String state(int s) {
        switch (s) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "waits for its configuration";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                return "waits for a service it needs";
            case ComponentConfigurationDTO.SATISFIED:
                return "satisfied but not active";
            case ComponentConfigurationDTO.ACTIVE:
                return "active but not listed by the bridge";
            default:
                return "in state " + s;
        }
    }

    static boolean bridgeActive(Bundle b) {
        return b != null && b.getState() == Bundle.ACTIVE;
    }
}
