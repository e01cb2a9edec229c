package io.websocksy.itests.support;

import java.io.IOException;
import java.time.Duration;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP peer on 127.0.0.1 (JDK only): one thread accepts, each connection gets its own thread running
 * the handler. {@link #echo()} copies everything back.
 */
public final class TcpPeer implements AutoCloseable {
    /** Serves one accepted connection; the socket is closed after it returns. */
    public interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    public TcpPeer(Handler handler) throws IOException {
        this(handler, 50);
    }

    public TcpPeer(Handler handler, int backlog) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, backlog, Ports.LOOPBACK);
        this.acceptor = new Thread(this::acceptLoop, "tcp-peer-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return an echo peer */
    public static TcpPeer echo() throws IOException {
        return new TcpPeer(TcpPeer::copyBack);
    }

    /** Copies the socket's input to its output until EOF, then half-closes. */
    public static void copyBack(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
        s.shutdownOutput();
    }

    /** @return the port on 127.0.0.1 */
    public int port() {
        return server.getLocalPort();
    }

    /** @return {@code tcp://127.0.0.1:port} */
    public String address() {
        return "tcp://127.0.0.1:" + port();
    }

    /** @return how many connections were accepted so far */
    public int accepted() {
        return accepted.get();
    }

    /**
     * The accept count once this peer's accept thread has caught up. A client's {@code 101} can come
     * before that thread counted the bridge's connection (the kernel completed it first), so a baseline
     * read right after a {@code 101} may be one short; read the baseline with this.
     *
     * @param atLeast how many connections the test made so far
     * @return the settled count
     */
    public int acceptedSettled(int atLeast) {
        return Poll.settled(Duration.ofSeconds(20), "peer " + port() + " accept count", accepted::get, atLeast);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            sockets.add(s);
            Thread t = new Thread(() -> serve(s), "tcp-peer-conn-" + port());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try {
            handler.handle(s);
        } catch (Exception e) {
            if (!closed) {
                System.err.println("tcp peer " + port() + ": " + e);
            }
        } finally {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
            sockets.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
