package io.websocksy.itests.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code java.net.http.WebSocket} client, collecting whole messages and the close into a
 * queue. It asks for one more message after each one, so it always reads.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    /** A whole message. */
    public static final class Msg {
        public final boolean text;
        public final byte[] data;

        Msg(boolean text, byte[] data) {
            this.text = text;
            this.data = data;
        }

        public String string() {
            return new String(data, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return (text ? "text[" : "binary[") + data.length + "]";
        }
    }

    /** The server's close. */
    public static final class Closed {
        public final int code;
        public final String reason;

        Closed(int code, String reason) {
            this.code = code;
            this.reason = reason;
        }

        @Override
        public String toString() {
            return "Closed[" + code + " '" + reason + "']";
        }
    }

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private WebSocket ws;

    private WsClient() {
    }

    /**
     * Opens a WebSocket to {@code ws://127.0.0.1:port/path}.
     *
     * @param port listener port
     * @param path request path
     * @return the client
     */
    public static WsClient connect(int port, String path) throws Exception {
        WsClient c = new WsClient();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), c)
                .get(15, TimeUnit.SECONDS);
        return c;
    }

    /**
     * Opens a WebSocket once the listener can route it: while the port refuses, or the handshake is answered
     * 503 (the listener's backend or framer {@code .cfg} not applied yet: a listener can accept before the
     * backend it names is registered), it retries every 100 ms until {@code timeout}. Any other answer is
     * the test's business and is thrown at once.
     *
     * @param port    listener port
     * @param path    request path
     * @param timeout how long to wait for the route
     * @return the client
     */
    public static WsClient connectWhenRouted(int port, String path, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return connect(port, path);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                boolean notYet = cause instanceof java.net.ConnectException
                        || cause instanceof java.net.http.WebSocketHandshakeException
                                && ((java.net.http.WebSocketHandshakeException) cause).getResponse().statusCode() == 503;
                if (!notYet || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Waits until {@code port} bridges a WebSocket (see {@link #connectWhenRouted}) and closes that probe.
     *
     * @param port    listener port
     * @param path    request path
     * @param timeout how long to wait
     */
    public static void awaitRouted(int port, String path, Duration timeout) throws Exception {
        try (WsClient probe = connectWhenRouted(port, path, timeout)) {
            // routed: the backend and framer the listener names are in place
        }
    }

    /** @return the JDK WebSocket */
    public WebSocket ws() {
        return ws;
    }

    public void sendText(String s) throws Exception {
        ws.sendText(s, true).get(15, TimeUnit.SECONDS);
    }

    public void sendBinary(byte[] b) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(b), true).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        byte[] b = data.toString().getBytes(StandardCharsets.UTF_8);
        partial.write(b, 0, b.length);
        if (last) {
            events.add(new Msg(true, partial.toByteArray()));
            partial.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.write(b, 0, b.length);
        if (last) {
            events.add(new Msg(false, partial.toByteArray()));
            partial.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(error);
    }

    /**
     * @param timeout how long to wait
     * @return the next event: a {@link Msg}, a {@link Closed} or a Throwable; fails on timeout
     */
    public Object next(Duration timeout) throws InterruptedException {
        Object e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no WebSocket event within " + timeout.toMillis() + " ms");
        }
        return e;
    }

    /** @return the next message; fails when the connection closes or errors first */
    public Msg nextMessage(Duration timeout) throws InterruptedException {
        Object e = next(timeout);
        if (e instanceof Msg) {
            return (Msg) e;
        }
        if (e instanceof Throwable) {
            throw new AssertionError("expected a message, got an error", (Throwable) e);
        }
        throw new AssertionError("expected a message, got " + e);
    }

    /**
     * Receives binary messages until {@code n} bytes have arrived, concatenated.
     *
     * @param n bytes expected
     * @param timeout overall deadline
     * @return the bytes
     */
    public byte[] readBinary(int n, Duration timeout) throws InterruptedException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (b.size() < n) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            Msg m = nextMessage(Duration.ofMillis(left));
            if (m.text) {
                throw new AssertionError("expected binary messages, got a text message of " + m.data.length + " bytes");
            }
            b.write(m.data, 0, m.data.length);
        }
        return b.toByteArray();
    }

    @Override
    public void close() {
        if (ws != null) {
            ws.abort();
        }
    }
}
