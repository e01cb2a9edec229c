package io.websocksy.admin.internal;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;

/**
 * File descriptor headroom: every connection holds two descriptors (client and peer), so running out
 * refuses new clients. WARN above 80 % of the limit, CRITICAL above 95 %.
 */
@Component(service = HealthCheck.class, property = {
    HealthCheck.NAME + "=websocksy file descriptors",
    HealthCheck.TAGS + "=live",
    HealthCheck.TAGS + "=ready",
    HealthCheck.TAGS + "=websocksy"})
public final class FdHeadroomCheck implements HealthCheck {
    static final double WARN = 0.80;
    static final double CRITICAL = 0.95;

    @Override
    public Result execute() {
        return check(ProcessMetrics.openFds(), ProcessMetrics.maxFds());
    }

    static Result check(long open, long max) {
        FormattingResultLog log = new FormattingResultLog();
        if (open < 0 || max <= 0) {
            log.info("open file descriptors not known on this JVM");
            return new Result(log);
        }
        double used = (double) open / max;
        String text = String.format(java.util.Locale.ROOT, "%d of %d file descriptors open (%.1f %%)", open, max,
                used * 100);
        if (used > CRITICAL) {
            log.critical("{}: above {} %, new connections will fail", text, (int) (CRITICAL * 100));
        } else if (used > WARN) {
            log.warn("{}: above {} % (raise ulimit -n)", text, (int) (WARN * 100));
        } else {
            log.info(text);
        }
        return new Result(log);
    }
}
