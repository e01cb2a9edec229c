package io.websocksy.bridge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Echo peers for tests: TCP and unix stream (JDK only), each on its own daemon threads. */
public final class Peers {
    private Peers() {
    }

    public static ServerSocket tcpEcho() throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    Thread w = new Thread(() -> pump(s));
                    w.setDaemon(true);
                    w.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "tcp-echo");
        t.setDaemon(true);
        t.start();
        return ss;
    }

    private static void pump(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] b = new byte[65536];
            int n;
            while ((n = in.read(b)) >= 0) {
                out.write(b, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // peer gone
        }
    }

    static ServerSocketChannel unixEcho(Path dir) throws IOException {
        Path p = dir.resolve("echo.sock");
        Files.deleteIfExists(p);
        ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ss.bind(UnixDomainSocketAddress.of(p));
        Thread t = new Thread(() -> {
            while (ss.isOpen()) {
                try {
                    SocketChannel c = ss.accept();
                    Thread w = new Thread(() -> {
                        ByteBuffer b = ByteBuffer.allocate(65536);
                        try (c) {
                            while (c.read(b) >= 0) {
                                b.flip();
                                while (b.hasRemaining()) {
                                    c.write(b);
                                }
                                b.clear();
                            }
                        } catch (IOException ignored) {
                            // gone
                        }
                    });
                    w.setDaemon(true);
                    w.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "unix-echo");
        t.setDaemon(true);
        t.start();
        return ss;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
