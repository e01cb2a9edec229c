package io.websocksy.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port helpers. Nothing here ever touches a non-loopback address. */
public final class Ports {
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Ports() {
    }

    /** @return a TCP port on 127.0.0.1 that was free a moment ago */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a UDP port on 127.0.0.1 that was free a moment ago (datagrams to it get ICMP port unreachable) */
    public static int freeUdpPort() {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a port on 127.0.0.1 where nothing listens (bound once, then closed): connects are refused */
    public static int refusingPort() {
        return freePort();
    }

    /**
     * @param port a TCP port on 127.0.0.1
     * @return true when a connect succeeds within 200 ms
     */
    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
