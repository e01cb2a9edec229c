package io.websocksy.itests.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP port on 127.0.0.1 whose SYNs go unanswered: a listener with backlog 1 that never accepts,
 * its accept queue filled with client connections, so Linux drops further SYNs and a connect to it
 * hangs until the connector's own timeout.
 */
public final class BlackholePeer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    public BlackholePeer() throws IOException {
        server = new ServerSocket(0, 1, Ports.LOOPBACK);
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(Ports.LOOPBACK, server.getLocalPort()), 300);
                fillers.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return;                  // the accept queue is full: SYNs are dropped now
            }
        }
        close();
        throw new IllegalStateException("could not fill the accept queue of a backlog-1 listener with 16 connections");
    }

    /** @return the port */
    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        server.close();
    }
}
