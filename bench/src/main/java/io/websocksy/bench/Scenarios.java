package io.websocksy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.HdrHistogram.Histogram;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * The load scenarios. Every loop is bounded twice: by a count (bytes, messages, cycles, connections)
 * and by a deadline, and stops by itself when either is reached. Nothing here asserts an absolute time;
 * the orchestrator turns the figures into ratios against the baselines measured in the same run.
 */
public final class Scenarios {
    /** Message size of the throughput scenarios. */
    public static final int BIG = 64 * 1024;
    /** Message size of the latency, churn and canary scenarios. */
    public static final int SMALL = 64;
    /** Bytes in flight per connection in the echo throughput scenario. */
    static final int ECHO_WINDOW = 4 * BIG;

    private Scenarios() {
    }

    // ------------------------------------------------------------------------------- throughput

    /**
     * @param mibPerSec received payload MiB/s over the measured window
     * @param seconds measured window
     * @param bytes payload bytes received in the window
     * @param serverCpu CPU seconds used by the middle process (bridge/relay/peer) per wall second
     * @param failedConnections connections that failed or closed early
     */
    public record Throughput(double mibPerSec, double seconds, long bytes, double serverCpu, int failedConnections) {
    }

    /**
     * Throughput with {@code conns} connections. {@code echo=false}: the peer streams 64 KiB chunks to the
     * client (peer to client, the framer's direction). {@code echo=true}: the client sends 64 KiB messages
     * with {@link #ECHO_WINDOW} bytes in flight per connection and counts what comes back.
     *
     * @param client the load generator
     * @param t target
     * @param conns connections
     * @param echo mode
     * @param warmupMs not measured
     * @param measureMs measured window (upper bound)
     * @param maxBytes count bound: the window ends early once this many bytes were received in it
     * @param cpu CPU-seconds counter of the process serving {@code t} (for the CPU column)
     * @return the figures
     * @throws InterruptedException when interrupted
     */
    public static Throughput throughput(Client client, Target t, int conns, boolean echo, long warmupMs,
            long measureMs, long maxBytes, LongSupplier cpu) throws InterruptedException {
        return throughput(client, t, conns, echo, warmupMs, measureMs, maxBytes, cpu, Payloads.direct(BIG));
    }

    /** The same with a given 64 KiB message (compressible text for the permessage-deflate row). */
    public static Throughput throughput(Client client, Target t, int conns, boolean echo, long warmupMs,
            long measureMs, long maxBytes, LongSupplier cpu, ByteBuf message) throws InterruptedException {
        LongAdder total = new LongAdder();
        AtomicInteger failed = new AtomicInteger();
        ByteBuf chunk = Unpooled.unreleasableBuffer(message);
        Client.Receiver r = new Client.Receiver() {
            @Override
            public void received(Client.Conn c, int bytes) {
                total.add(bytes);
                if (echo) {
                    c.outstanding -= bytes;
                    fillWindow(c, chunk);
                }
            }
        };
        List<Client.Conn> open = openAll(client, t, conns, Math.min(conns, 64), r, failed);
        try {
            if (echo) {
                for (Client.Conn c : open) {
                    c.ch.eventLoop().execute(() -> fillWindow(c, chunk));
                }
            }
            Thread.sleep(warmupMs);
            long b0 = total.sum();
            long c0 = cpu.getAsLong();
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(measureMs);
            while (System.nanoTime() < deadline && total.sum() - b0 < maxBytes) {
                Thread.sleep(20);
            }
            long b1 = total.sum();
            long c1 = cpu.getAsLong();
            long t1 = System.nanoTime();
            double secs = (t1 - t0) / 1e9;
            for (Client.Conn c : open) {
                if (!c.ch.isActive()) {
                    failed.incrementAndGet();
                }
            }
            return new Throughput((b1 - b0) / secs / (1 << 20), secs, b1 - b0, (c1 - c0) / 1e9 / secs, failed.get());
        } finally {
            closeAll(open);
        }
    }

    static void fillWindow(Client.Conn c, ByteBuf chunk) {
        if (!c.ch.isActive()) {
            return;
        }
        boolean wrote = false;
        while (c.outstanding + BIG <= ECHO_WINDOW) {
            c.outstanding += BIG;
            c.write(chunk.duplicate());
            wrote = true;
        }
        if (wrote) {
            c.flush();
        }
    }

    // ------------------------------------------------------------------------------- latency

    /**
     * @param histogram round-trip times in nanoseconds, measured from each message's intended send time
     *     (coordinated omission corrected), warm-up excluded
     * @param sent messages sent (warm-up included)
     * @param lost messages whose echo did not come back before the deadline
     * @param ratePerSec the fixed send rate
     */
    public record Latency(Histogram histogram, long sent, long lost, int ratePerSec) {
        /**
         * @param percentile e.g. 99.9
         * @return that percentile in microseconds
         */
        public double micros(double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /**
     * Sends {@link #SMALL}-byte messages on one connection at a fixed rate and records each round trip
     * from the time it was <em>meant</em> to be sent, so a stall delays the recorded samples instead of
     * silently thinning them (coordinated omission).
     *
     * @param client the load generator
     * @param t target (echoing)
     * @param rate messages per second
     * @param warmupMs not recorded
     * @param measureMs recorded
     * @return the histogram
     * @throws Exception when the connection fails
     */
    public static Latency latency(Client client, Target t, int rate, long warmupMs, long measureMs) throws Exception {
        long warmupCount = rate * warmupMs / 1000;
        long total = warmupCount + rate * measureMs / 1000;
        EchoSchedule sched = new EchoSchedule(1_000_000_000L / rate, SMALL, total, warmupCount);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Client.Receiver r = (c, bytes) -> {
            if (sched.received(bytes, System.nanoTime())) {
                done.complete(null);
            }
        };
        Future<Client.Conn> f = client.connect(t, r).await();
        if (!f.isSuccess()) {
            throw new IllegalStateException(t.name() + ": " + f.cause(), f.cause());
        }
        Client.Conn c = f.getNow();
        byte[] payload = Payloads.random(SMALL);
        Channel ch = c.ch;
        long tick = Math.max(50_000L, Math.min(1_000_000L, sched.intervalNanos));
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        ch.eventLoop().execute(() -> {
            sched.start(System.nanoTime());
            task[0] = ch.eventLoop().scheduleAtFixedRate(() -> {
                int n = sched.due(System.nanoTime());
                for (int i = 0; i < n; i++) {
                    c.write(ch.alloc().directBuffer(SMALL).writeBytes(payload));
                }
                if (n > 0) {
                    c.flush();
                }
                if (sched.allSent()) {
                    task[0].cancel(false);
                }
            }, 0, tick, TimeUnit.NANOSECONDS);
        });
        long bound = warmupMs + measureMs + 10_000;
        try {
            done.get(bound, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // bounded: whatever did not come back counts as lost
        } finally {
            ch.eventLoop().execute(() -> {
                if (task[0] != null) {
                    task[0].cancel(false);
                }
            });
            c.close(2).await(5, TimeUnit.SECONDS);
        }
        return sched.result(rate);
    }

    // ------------------------------------------------------------------------------- churn

    /**
     * @param perSecond completed cycles per second
     * @param completed cycles completed
     * @param failed cycles that failed (refused, handshake error, no echo)
     * @param seconds elapsed
     */
    public record Churn(double perSecond, long completed, long failed, double seconds) {
    }

    /**
     * Opens a connection, echoes one {@link #SMALL}-byte message, closes it (WebSocket: close handshake,
     * the server closes TCP) - {@code concurrency} such cycles at a time.
     *
     * @param client the load generator
     * @param t target (echoing)
     * @param concurrency cycles in flight
     * @param maxCycles count bound
     * @param maxMs time bound
     * @return the rate
     * @throws InterruptedException when interrupted
     */
    public static Churn churn(Client client, Target t, int concurrency, int maxCycles, long maxMs)
            throws InterruptedException {
        AtomicLong started = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger running = new AtomicInteger(concurrency);
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(maxMs);
        CompletableFuture<Void> allDone = new CompletableFuture<>();
        byte[] payload = Payloads.random(SMALL);
        Runnable[] cycle = new Runnable[1];
        cycle[0] = () -> {
            if (System.nanoTime() >= deadline || started.incrementAndGet() > maxCycles) {
                if (running.decrementAndGet() == 0) {
                    allDone.complete(null);
                }
                return;
            }
            Client.Receiver r = (c, bytes) -> {
                if (c.received >= SMALL && c.outstanding == 0) {
                    c.outstanding = -1; // done: close once
                    c.close(5).addListener(x -> {
                        completed.incrementAndGet();
                        cycle[0].run();
                    });
                }
            };
            client.connect(t, r).addListener(f -> {
                if (!f.isSuccess()) {
                    failed.incrementAndGet();
                    cycle[0].run();
                    return;
                }
                Client.Conn c = (Client.Conn) f.getNow();
                c.write(c.ch.alloc().directBuffer(SMALL).writeBytes(payload));
                c.flush();
                c.ch.eventLoop().schedule(() -> {
                    if (c.outstanding == 0) { // no echo within 5 s
                        c.outstanding = -1;
                        failed.incrementAndGet();
                        c.ch.close().addListener(x -> cycle[0].run());
                    }
                }, 5, TimeUnit.SECONDS);
            });
        };
        for (int i = 0; i < concurrency; i++) {
            cycle[0].run();
        }
        try {
            allDone.get(maxMs + 15_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // bounded; report what completed
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Churn(completed.get() / secs, completed.get(), failed.get(), secs);
    }

    // ------------------------------------------------------------------------------- idle connections

    /**
     * Opens {@code n} idle connections, {@code concurrency} handshakes at a time (bounded by a deadline).
     *
     * @param client the load generator
     * @param t target
     * @param n connections wanted
     * @param concurrency handshakes in flight
     * @param maxMs time bound for the whole opening
     * @param failed incremented for each failed connection
     * @return the open connections
     * @throws InterruptedException when interrupted
     */
    public static List<Client.Conn> openIdle(Client client, Target t, int n, int concurrency, long maxMs,
            AtomicInteger failed) throws InterruptedException {
        List<Client.Conn> out = java.util.Collections.synchronizedList(new ArrayList<>(n));
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(concurrency);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        Client.Receiver idle = (c, bytes) -> { };
        for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
            if (!slots.tryAcquire(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)) {
                break;
            }
            client.connect(t, idle).addListener(f -> {
                if (f.isSuccess()) {
                    out.add((Client.Conn) f.getNow());
                } else {
                    failed.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.tryAcquire(concurrency, Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + 10_000,
                TimeUnit.MILLISECONDS);
        return new ArrayList<>(out);
    }

    static List<Client.Conn> openAll(Client client, Target t, int n, int concurrency, Client.Receiver r,
            AtomicInteger failed) throws InterruptedException {
        List<Client.Conn> out = new ArrayList<>(n);
        List<Future<Client.Conn>> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending.add(client.connect(t, r));
        }
        for (Future<Client.Conn> f : pending) {
            if (f.await(15, TimeUnit.SECONDS) && f.isSuccess()) {
                out.add(f.getNow());
            } else {
                failed.incrementAndGet();
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(t.name() + " " + t.uri() + ": no connection could be opened");
        }
        return out;
    }

    /**
     * Closes connections (WebSocket: close handshake) and waits, bounded, for them to end.
     *
     * @param conns connections
     * @throws InterruptedException when interrupted
     */
    public static void closeAll(List<Client.Conn> conns) throws InterruptedException {
        List<io.netty.channel.ChannelFuture> fs = new ArrayList<>(conns.size());
        for (Client.Conn c : conns) {
            fs.add(c.close(2));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (io.netty.channel.ChannelFuture f : fs) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.await(left, TimeUnit.NANOSECONDS)) {
                f.channel().close();
            }
        }
    }
}
