package io.websocksy.bridge.internal;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** A DNS server on loopback that answers NXDOMAIN to every query (after an optional delay). */
final class StubDns implements AutoCloseable {
    private final DatagramSocket socket;

    StubDns(long delayMillis) throws Exception {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            byte[] b = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    socket.receive(p);
                    byte[] r = java.util.Arrays.copyOf(p.getData(), p.getLength());
                    // header: keep ID, QR=1, opcode 0, RD copied, RA=1, RCODE=3; keep QDCOUNT, no answers
                    r[2] = (byte) (0x80 | (r[2] & 0x01));
                    r[3] = (byte) 0x83;
                    r[6] = 0;
                    r[7] = 0;
                    r[8] = 0;
                    r[9] = 0;
                    r[10] = 0;
                    r[11] = 0;
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis);
                    }
                    socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        }, "stub-dns");
        t.setDaemon(true);
        t.start();
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
    }
}
