package io.websocksy.admin.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /health} (checks tagged live or ready), {@code /health/live} and {@code /health/ready}: runs
 * the Felix Health Checks through the {@link HealthCheckExecutor} and answers {@code 200} when the worst
 * result is OK or WARN, {@code 503} otherwise, with every check's result as JSON.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/health",
    "osgi.http.whiteboard.servlet.pattern=/health/*",
    "osgi.http.whiteboard.servlet.name=websocksy-health"})
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Reference
    private transient HealthCheckExecutor executor;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String sub = req.getPathInfo() == null ? "" : req.getPathInfo();
        String[] tags;
        switch (sub) {
            case "":
            case "/":
                tags = new String[] {"live", "ready"};
                break;
            case "/live":
                tags = new String[] {"live"};
                break;
            case "/ready":
                tags = new String[] {"ready"};
                break;
            default:
                resp.sendError(404, "unknown health path " + sub + " (use /health, /health/live or /health/ready)");
                return;
        }
        HealthCheckExecutionOptions options = new HealthCheckExecutionOptions();
        options.setCombineTagsWithOr(true);
        List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags(tags), options);
        Result.Status worst = results.isEmpty() ? Result.Status.CRITICAL : Result.Status.OK;
        for (HealthCheckExecutionResult r : results) {
            Result.Status s = r.getHealthCheckResult().getStatus();
            if (s.ordinal() > worst.ordinal()) {
                worst = s;
            }
        }
        byte[] body = json(worst, String.join(",", tags), results).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(healthy(worst) ? 200 : 503);
        resp.setContentType("application/json; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    static boolean healthy(Result.Status s) {
        return s == Result.Status.OK || s == Result.Status.WARN;
    }

    static String json(Result.Status overall, String tags, List<HealthCheckExecutionResult> results) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"status\":").append(str(overall.name())).append(",\"tags\":").append(str(tags))
                .append(",\"checks\":[");
        boolean first = true;
        for (HealthCheckExecutionResult r : results) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            Result res = r.getHealthCheckResult();
            sb.append("{\"name\":").append(str(r.getHealthCheckMetadata().getName()))
                    .append(",\"status\":").append(str(res.getStatus().name()))
                    .append(",\"timeMs\":").append(r.getElapsedTimeInMs())
                    .append(",\"messages\":[");
            boolean firstEntry = true;
            for (ResultLog.Entry e : res) {
                if (e.isDebug()) {
                    continue;
                }
                if (!firstEntry) {
                    sb.append(',');
                }
                firstEntry = false;
                sb.append("{\"status\":").append(str(e.getStatus().name())).append(",\"message\":")
                        .append(str(e.getMessage())).append('}');
            }
            sb.append("]}");
        }
        return sb.append("]}\n").toString();
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
