package io.websocksy.itests.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A JDK WebSocket client that sends nothing and records when the server pings it (the JDK client answers
 * each ping with a pong by itself, as a browser does).
 */
public final class PingWatcher implements WebSocket.Listener, AutoCloseable {
    private final List<Long> pings = new CopyOnWriteArrayList<>();
    private volatile Integer closeCode;
    private WebSocket ws;

    private PingWatcher() {
    }

    /**
     * @param port listener port on 127.0.0.1
     * @return the open client
     */
    public static PingWatcher connect(int port) throws Exception {
        PingWatcher w = new PingWatcher();
        w.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), w).get(15, TimeUnit.SECONDS);
        return w;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.add(System.nanoTime());
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    /** @return how many pings arrived so far */
    public int pings() {
        return pings.size();
    }

    /** @return the gaps between consecutive pings, in milliseconds */
    public long[] gapsMillis() {
        List<Long> p = List.copyOf(pings);
        long[] gaps = new long[Math.max(0, p.size() - 1)];
        for (int i = 1; i < p.size(); i++) {
            gaps[i - 1] = TimeUnit.NANOSECONDS.toMillis(p.get(i) - p.get(i - 1));
        }
        return gaps;
    }

    /** @return the server's close code, or null while open */
    public Integer closeCode() {
        return closeCode;
    }

    @Override
    public void close() {
        if (ws != null) {
            ws.abort();
        }
    }
}
