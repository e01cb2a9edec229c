package io.websocksy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Netty transport selection and loopback helpers shared by every bench process. */
public final class Net {
    /** Every bench socket is on loopback; nothing ever leaves the machine. */
    public static final String LOOPBACK = "127.0.0.1";

    private Net() {
    }

    /** The two Netty transports the bench compares. */
    public enum Kind {
        /** Linux native epoll. */
        EPOLL,
        /** JDK NIO. */
        NIO;

        /**
         * @param text {@code epoll} or {@code nio}
         * @return the kind
         */
        public static Kind parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown transport '" + text + "' (expected epoll or nio)");
            }
        }

        /** @return the lower-case name used in configs and reports */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param threads number of event loops (0 = Netty's default, 2 x cores)
         * @param name thread name prefix
         * @return a new group of this kind
         */
        public EventLoopGroup group(int threads, String name) {
            DefaultThreadFactory f = new DefaultThreadFactory(name, true);
            if (this == EPOLL) {
                requireEpoll();
                return new EpollEventLoopGroup(threads, f);
            }
            return new NioEventLoopGroup(threads, f);
        }

        /** @return the client socket channel class */
        public Class<? extends SocketChannel> socket() {
            return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
        }

        /** @return the server socket channel class */
        public Class<? extends ServerChannel> server() {
            return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        }
    }

    static void requireEpoll() {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("epoll is not available: " + Epoll.unavailabilityCause());
        }
    }

    /**
     * Picks a free loopback port (bound then released: the caller binds it again soon after).
     *
     * @return the port
     */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
        }
    }

    /**
     * Makes a helper process end by itself: when its stdin reaches EOF (the orchestrator exited or
     * closed the pipe) or after {@code maxSeconds}, whichever comes first.
     *
     * @param name process name for the message
     * @param maxSeconds hard upper bound on the process lifetime
     */
    static void exitWithParent(String name, int maxSeconds) {
        Thread eof = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // drain
                }
            } catch (IOException ignored) {
                // treated as EOF
            }
            System.err.println(name + ": stdin closed, exiting");
            System.exit(0);
        }, name + "-stdin");
        eof.setDaemon(true);
        eof.start();
        Thread cap = new Thread(() -> {
            try {
                Thread.sleep(maxSeconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println(name + ": lifetime cap of " + maxSeconds + " s reached, exiting");
            System.exit(3);
        }, name + "-cap");
        cap.setDaemon(true);
        cap.start();
    }
}
