package io.websocksy.itests.support;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A unix-domain stream echo peer (JDK 16+ {@code ServerSocketChannel.open(UNIX)}). */
public final class UnixStreamEchoPeer implements AutoCloseable {
    private final Path dir;
    private final Path path;
    private final ServerSocketChannel server;
    private final List<SocketChannel> channels = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public UnixStreamEchoPeer() throws IOException {
        dir = Files.createTempDirectory("wsy");
        path = dir.resolve("s.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread t = new Thread(this::acceptLoop, "unix-echo-accept");
        t.setDaemon(true);
        t.start();
    }

    /** @return {@code unix://<path>} */
    public String address() {
        return "unix://" + path;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                return;
            }
            channels.add(ch);
            Thread t = new Thread(() -> echo(ch), "unix-echo-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void echo(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try (ch) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                buf.clear();
            }
            ch.shutdownOutput();
        } catch (IOException e) {
            if (!closed) {
                System.err.println("unix echo: " + e);
            }
        } finally {
            channels.remove(ch);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (SocketChannel ch : channels) {
            ch.close();
        }
        Files.deleteIfExists(path);
        Files.deleteIfExists(dir);
    }
}
