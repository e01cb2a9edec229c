package io.websocksy.bridge.internal.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.bridge.internal.runtime.NettyRuntime;

/**
 * The start-up summary line of {@code .cfg} mode: once FileInstall has had time to apply the deploy
 * directory (three polls, at least {@value #MIN_DELAY_SECONDS} s after the bridge started), one line says
 * which listeners run and which failed, and in words when none runs, so that a process that keeps running
 * with nothing to serve (its files may be fixed live) is visible as such. In command-line mode
 * ({@code websocksy.launch.mode=arguments}) the launcher agent's line is the summary and this one is not
 * logged.
 */
@Component(immediate = true)
public final class StartupSummary {
    static final int MIN_DELAY_SECONDS = 3;
    private static final Logger LOG = LoggerFactory.getLogger("io.websocksy.bridge");

    @Reference
    private BridgeAdmin admin;
    @Reference
    private NettyRuntime transport;

    private ScheduledFuture<?> task;

    @Activate
    void activate(BundleContext ctx) {
        if ("arguments".equals(ctx.getProperty("websocksy.launch.mode"))) {
            return;
        }
        long poll = 1000;
        try {
            String p = ctx.getProperty("felix.fileinstall.poll");
            poll = p == null ? poll : Long.parseLong(p.trim());
        } catch (NumberFormatException e) {
            // FileInstall reports it; the default applies
        }
        long delay = Math.max(TimeUnit.SECONDS.toMillis(MIN_DELAY_SECONDS), 3 * poll);
        String dir = ctx.getProperty("felix.fileinstall.dir");
        task = transport.boss().schedule(() -> LOG.info(summary(admin.listeners(), dir)), delay, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /**
     * @param all every listener
     * @param dir the deploy directory, or null
     * @return the summary line
     */
    static String summary(List<ListenerInfo> all, String dir) {
        List<String> running = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (ListenerInfo l : all) {
            if (l.state() == ListenerInfo.State.FAILED) {
                failed.add(l.name() + " (" + l.failure().orElse("not running") + ")");
            } else {
                running.add(l.name() + " " + l.state().label() + " on " + l.address());
            }
        }
        String where = dir == null ? "the deploy directory" : dir;
        if (all.isEmpty()) {
            return "websocksy started with no listener configured: nothing is served until a "
                    + "websocksy.listener-<name>.cfg is added to " + where;
        }
        StringBuilder b = new StringBuilder();
        if (running.isEmpty()) {
            b.append("websocksy started but no listener is running: nothing is served until a .cfg file in ")
                    .append(where).append(" is corrected (applied when saved); failed: ").append(String.join("; ", failed));
            return b.toString();
        }
        b.append("websocksy started: ").append(running.size()).append(" of ").append(all.size())
                .append(" listeners running: ").append(String.join(", ", running));
        if (!failed.isEmpty()) {
            b.append("; failed: ").append(String.join("; ", failed));
        }
        return b.toString();
    }
}
