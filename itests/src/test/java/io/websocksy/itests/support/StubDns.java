package io.websocksy.itests.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stub DNS server on 127.0.0.1 (UDP) that answers NXDOMAIN to every query, optionally after a
 * delay. The answer copies the ID and the question, sets QR=1, keeps RD, sets RA, RCODE=3 (name
 * error), and carries no answer, authority or additional records.
 */
public final class StubDns implements AutoCloseable {
    /**
     * System property read at every query when no delay was set on the instance: the probe's classes
     * live in another class loader than the driver's (which owns this server), so a test inside the
     * framework sets the delay through this JVM-wide property.
     */
    public static final String DELAY_PROPERTY = "websocksy.it.dns.delay";

    private final DatagramSocket socket;
    private final AtomicInteger queries = new AtomicInteger();
    private volatile long delayMillis;

    public StubDns() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(Ports.LOOPBACK, 0));
        Thread t = new Thread(this::loop, "stub-dns-" + socket.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** @return the UDP port on 127.0.0.1 */
    public int port() {
        return socket.getLocalPort();
    }

    /** @return number of queries received */
    public int queries() {
        return queries.get();
    }

    /** @param millis delay before each answer (0 = answer at once) */
    public void setDelayMillis(long millis) {
        this.delayMillis = millis;
    }

    private void loop() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            queries.incrementAndGet();
            byte[] answer = nxdomain(p.getData(), p.getOffset(), p.getLength());
            if (answer == null) {
                continue;
            }
            DatagramPacket reply = new DatagramPacket(answer, answer.length, p.getSocketAddress());
            long delay = delayMillis > 0 ? delayMillis : Long.getLong(DELAY_PROPERTY, 0);
            if (delay <= 0) {
                send(reply);
            } else {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        return;
                    }
                    send(reply);
                }, "stub-dns-delayed");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private void send(DatagramPacket reply) {
        try {
            socket.send(reply);
        } catch (IOException e) {
            // closed
        }
    }

    /** @return the NXDOMAIN answer, or null when the query is too malformed to answer */
    static byte[] nxdomain(byte[] q, int off, int len) {
        if (len < 12) {
            return null;
        }
        int qdcount = ((q[off + 4] & 0xff) << 8) | (q[off + 5] & 0xff);
        int pos = off + 12;
        int end = off + len;
        for (int i = 0; i < qdcount; i++) {
            while (true) {               // QNAME: labels up to the root label
                if (pos >= end) {
                    return null;
                }
                int l = q[pos] & 0xff;
                if ((l & 0xc0) != 0) {   // compression pointer: 2 bytes, ends the name
                    pos += 2;
                    break;
                }
                pos += 1 + l;
                if (l == 0) {
                    break;
                }
            }
            pos += 4;                    // QTYPE, QCLASS
            if (pos > end) {
                return null;
            }
        }
        int qlen = pos - off;
        byte[] a = new byte[qlen];
        System.arraycopy(q, off, a, 0, qlen);
        a[2] = (byte) (0x80 | (q[off + 2] & 0x79));   // QR=1, opcode and RD kept, AA=0, TC=0
        a[3] = (byte) (0x80 | 3);                      // RA=1, Z=0, RCODE=3 NXDOMAIN
        a[6] = 0;                                      // ANCOUNT
        a[7] = 0;
        a[8] = 0;                                      // NSCOUNT
        a[9] = 0;
        a[10] = 0;                                     // ARCOUNT (the query's OPT record is dropped)
        a[11] = 0;
        return a;
    }

    @Override
    public void close() {
        socket.close();
    }
}
