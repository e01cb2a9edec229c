package io.websocksy.itests.support;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches a loopback port on a background thread (a connect attempt every 20 ms) and remembers whether it
 * ever accepted: proof that a process that failed its start never listened.
 */
public final class PortWatch implements AutoCloseable {
    private final AtomicBoolean accepted = new AtomicBoolean();
    private final AtomicInteger probes = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stop;

    /** @param port the port on 127.0.0.1 to watch */
    public PortWatch(int port) {
        thread = new Thread(() -> {
            while (!stop) {
                if (Ports.accepts(port)) {
                    accepted.set(true);
                }
                probes.incrementAndGet();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "port-watch-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    /** @return whether the port accepted a connection at any probe so far */
    public boolean everAccepted() {
        return accepted.get();
    }

    /** @return how many probes ran */
    public int probes() {
        return probes.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(2000);
    }
}
