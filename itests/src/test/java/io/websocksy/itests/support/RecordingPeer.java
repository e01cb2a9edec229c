package io.websocksy.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP peer that records every byte each connection receives, in accept order, and echoes them
 * back when asked to. Tests use it to assert what reached the peer (and what did not), and that the
 * peer side saw EOF or RST after the client side went away (RELIABILITY INV-2, INV-6).
 */
public final class RecordingPeer implements AutoCloseable {
    /** One accepted connection. */
    public static final class Conn {
        private final Object lock = new Object();
        private ByteArrayOutputStream received = new ByteArrayOutputStream();
        /** Bytes received and then dropped by {@link #discard()}. */
        private long discarded;
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile String end = "open";

        /** @return a copy of the bytes received so far */
        public byte[] received() {
            synchronized (lock) {
                if (discarded > 0) {
                    throw new IllegalStateException(discarded + " received bytes were discarded");
                }
                return received.toByteArray();
            }
        }

        /** @return how many bytes were received so far (discarded ones included) */
        public int size() {
            synchronized (lock) {
                return (int) (discarded + received.size());
            }
        }

        /**
         * Drops the bytes held so far (after they were checked), so a case moving megabytes does not leave
         * them on the test JVM's heap, where the heap invariant would count them against the bridge.
         */
        public void discard() {
            synchronized (lock) {
                discarded += received.size();
                received = new ByteArrayOutputStream();
            }
        }

        /** @return true once the bridge closed its side (EOF or reset) */
        public boolean ended() {
            return ended.getCount() == 0;
        }

        /** @return "open", "EOF" or "reset: ..." */
        public String end() {
            return end;
        }

        /**
         * @param timeout how long to wait
         * @return true when the connection ended within the time
         */
        public boolean awaitEnd(Duration timeout) throws InterruptedException {
            return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private final boolean echo;
    private final List<Conn> conns = new CopyOnWriteArrayList<>();
    private final TcpPeer peer;

    /** @param echo whether to copy every received byte back */
    public RecordingPeer(boolean echo) throws IOException {
        this.echo = echo;
        this.peer = new TcpPeer(this::serve, 1000);
    }

    private void serve(Socket s) throws IOException {
        Conn c = new Conn();
        conns.add(c);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[65536];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (c.lock) {
                    c.received.write(buf, 0, n);
                }
                if (echo) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
            c.end = "EOF";
        } catch (IOException e) {
            c.end = "reset: " + e.getMessage();
        } finally {
            c.ended.countDown();
        }
    }

    /** @return {@code tcp://127.0.0.1:port} */
    public String address() {
        return peer.address();
    }

    /** @return the number of connections accepted so far */
    public int count() {
        return conns.size();
    }

    /**
     * The number of connections accepted once this peer's accept thread has caught up with the
     * connections the bridge made (a {@code 101} can come before it counted one): the index the next
     * connection will get. Read it with this before opening the next connection.
     *
     * @return the settled count
     */
    public int countSettled() {
        return Poll.settled(Duration.ofSeconds(20), "recording peer connections", this::count, 0);
    }

    /**
     * @param index accept order, from 0
     * @param timeout how long to wait for that many connections
     * @return the connection
     */
    public Conn conn(int index, Duration timeout) {
        Poll.until(timeout, "peer connection #" + index, () -> conns.size() > index);
        return conns.get(index);
    }

    /** @return how many accepted connections have not ended */
    public int open() {
        int n = 0;
        for (Conn c : conns) {
            if (!c.ended()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        peer.close();
    }
}
