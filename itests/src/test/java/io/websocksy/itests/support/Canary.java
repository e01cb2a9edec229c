package io.websocksy.itests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * docs/conformance.md INV-1: a connection that does a 100-byte echo round trip at 10 Hz through the bridge
 * for the whole case, through a listener whose peer echoes. It records every round trip's latency
 * and every error, close or reordering.
 */
public final class Canary implements AutoCloseable {
    private final RawWs ws;
    private final Thread thread;
    private final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    private volatile String error;
    private volatile boolean stop;

    private Canary(RawWs ws) {
        this.ws = ws;
        this.thread = new Thread(this::loop, "canary");
        thread.setDaemon(true);
    }

    /**
     * @param port a listener whose peer echoes (with {@code auto} or {@code binary} framing)
     * @return the started canary
     */
    public static Canary start(int port) throws IOException {
        Canary c = new Canary(RawWs.open(port, RawHttp.Request.upgrade(port)));
        c.thread.start();
        return c;
    }

    private void loop() {
        long seq = 0;
        try {
            while (!stop) {
                byte[] msg = String.format("canary %012d ", seq++).concat("x".repeat(80)).getBytes(StandardCharsets.US_ASCII);
                long t0 = System.nanoTime();
                ws.send(true, RawWs.BINARY, msg);
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                while (got.size() < msg.length) {
                    RawWs.Frame f = ws.read(5_000);
                    if (f.opcode == RawWs.CLOSE) {
                        error = "canary closed by the server: " + f;
                        return;
                    }
                    if (f.opcode == RawWs.TEXT || f.opcode == RawWs.BINARY || f.opcode == 0) {
                        got.write(f.payload, 0, f.payload.length);
                    }
                }
                if (!Arrays.equals(msg, got.toByteArray())) {
                    error = "canary round trip " + (seq - 1) + " came back different (reordered or corrupted)";
                    return;
                }
                micros.add((System.nanoTime() - t0) / 1000);
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!stop) {
                error = "canary failed: " + e;
            }
        }
    }

    /** @return null while every round trip succeeded, else what went wrong */
    public String error() {
        return error;
    }

    /** @return round trips completed */
    public int roundTrips() {
        return micros.size();
    }

    /** @return the 99th percentile round trip in ms, or -1 before any */
    public double p99Millis() {
        List<Long> copy;
        synchronized (micros) {
            copy = new ArrayList<>(micros);
        }
        if (copy.isEmpty()) {
            return -1;
        }
        Collections.sort(copy);
        return copy.get(Math.min(copy.size() - 1, (int) Math.ceil(copy.size() * 0.99) - 1)) / 1000.0;
    }

    @Override
    public void close() throws IOException {
        stop = true;
        try {
            thread.join(6_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ws.close();
    }
}
