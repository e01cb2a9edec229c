package io.websocksy.admin.internal;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The framework's bundles are all active: CRITICAL for any bundle that is installed but not resolved or
 * resolved but not started (fragments, which are never started, count when resolved; a lazily activated
 * bundle waiting in STARTING counts as active).
 */
@Component(service = HealthCheck.class, property = {
    HealthCheck.NAME + "=framework bundles active",
    HealthCheck.TAGS + "=live",
    HealthCheck.TAGS + "=ready",
    HealthCheck.TAGS + "=websocksy"})
public final class BundlesActiveCheck implements HealthCheck {
    private BundleContext ctx;

    @Activate
    void activate(BundleContext context) {
        ctx = context;
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        int ok = 0;
        for (Bundle b : ctx.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            boolean lazy = Constants.ACTIVATION_LAZY.equals(b.getHeaders().get(Constants.BUNDLE_ACTIVATIONPOLICY));
            int s = b.getState();
            if (s == Bundle.ACTIVE || (fragment && s == Bundle.RESOLVED) || (lazy && s == Bundle.STARTING)) {
                ok++;
            } else {
                log.critical("bundle {} {} ({}) is {}", b.getBundleId(), b.getSymbolicName(), b.getVersion(), state(s));
            }
        }
        log.info("{} of {} bundles active (fragments resolved)", ok, ctx.getBundles().length);
        return new Result(log);
    }

    static String state(int s) {
        switch (s) {
            case Bundle.INSTALLED:
                return "INSTALLED (not resolved: a package or capability it needs is missing)";
            case Bundle.RESOLVED:
                return "RESOLVED (not started)";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            default:
                return "in state " + s;
        }
    }
}
