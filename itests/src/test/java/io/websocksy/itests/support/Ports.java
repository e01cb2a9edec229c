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

    /**
     * Where {@link #freePort()} looks: below the kernel's ephemeral range. A port the kernel handed out for
     * {@code bind(0)} is one it may hand out again, as the local port of any outgoing connection of the
     * suite (thousands of them), between the moment a test picks it and the moment the runtime binds it:
     * the listener then fails with "address already in use". Ports below the ephemeral range are only ever
     * taken by an explicit bind.
     */
    private static final int[] RANGE = pickRange();
    private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger(
            RANGE[0] + (int) ((ProcessHandle.current().pid() * 7919L + System.nanoTime()) % (RANGE[1] - RANGE[0])));

    private static int[] pickRange() {
        int ephemeralLow = 32768;
        try {
            String[] r = java.nio.file.Files.readString(java.nio.file.Paths.get("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim().split("\\s+");
            ephemeralLow = Integer.parseInt(r[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: the usual default
        }
        int high = Math.max(11000, ephemeralLow - 1);
        return new int[] {Math.max(10000, high - 20000), high};
    }

    /**
     * @return a TCP port on 127.0.0.1 that was free a moment ago, outside the ephemeral range (so no outgoing
     *         connection takes it meanwhile) and not handed out before by this JVM
     */
    public static int freePort() {
        int span = RANGE[1] - RANGE[0];
        for (int i = 0; i < span; i++) {
            int port = RANGE[0] + Math.floorMod(NEXT.getAndIncrement() - RANGE[0], span);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(LOOPBACK, port), 1);
                return port;
            } catch (IOException taken) {
                // bound by someone else: the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port in " + RANGE[0] + "-" + RANGE[1]));
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
