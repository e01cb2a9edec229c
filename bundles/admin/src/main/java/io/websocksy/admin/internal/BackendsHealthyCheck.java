package io.websocksy.admin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.websocksy.api.backend.BackendHealth;

/**
 * The backends' own health ({@link BackendHealth} services, e.g. the Redis backend's PING): each one's
 * answer, CRITICAL for one that fails or does not answer within {@value #WAIT_MILLIS} ms. All are asked at
 * once; only this check's thread (the Health Check executor's) waits for them. OK with a note when no
 * backend offers one.
 */
@Component(service = HealthCheck.class, property = {
    HealthCheck.NAME + "=websocksy backends healthy",
    HealthCheck.TAGS + "=ready",
    HealthCheck.TAGS + "=websocksy"})
public final class BackendsHealthyCheck implements HealthCheck {
    static final long WAIT_MILLIS = 5000;

    private final List<BackendHealth> healths = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHealth(BackendHealth h) {
        healths.add(h);
    }

    void removeHealth(BackendHealth h) {
        healths.remove(h);
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        List<CompletableFuture<String>> asked = new ArrayList<>();
        for (BackendHealth h : healths) {
            CompletableFuture<String> f;
            try {
                f = h.check().toCompletableFuture();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            asked.add(f);
        }
        if (asked.isEmpty()) {
            log.info("no backend reports health of its own");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        for (CompletableFuture<String> f : asked) {
            try {
                log.info("{}", f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                log.critical("{}", c.getMessage() == null ? c.toString() : c.getMessage());
            } catch (TimeoutException e) {
                log.critical("a backend did not answer its health check within {} ms", WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.critical("interrupted while waiting for the backends' health");
                break;
            }
        }
        return new Result(log);
    }
}
