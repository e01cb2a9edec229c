package io.websocksy.itests.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/** A UDP echo peer on 127.0.0.1 (JDK only): every datagram goes back to its sender unchanged. */
public final class UdpEchoPeer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;

    public UdpEchoPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(Ports.LOOPBACK, 0));
        thread = new Thread(this::loop, "udp-echo-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** @return {@code udp://127.0.0.1:port} */
    public String address() {
        return "udp://127.0.0.1:" + socket.getLocalPort();
    }

    private void loop() {
        byte[] buf = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                socket.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), p.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    System.err.println("udp echo: " + e);
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
