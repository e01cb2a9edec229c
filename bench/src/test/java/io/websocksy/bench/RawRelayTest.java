package io.websocksy.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;

/** The relay baseline must be a correct relay: every byte through, in order, both ways. */
class RawRelayTest {
    @Test
    void relaysAnEchoByteForByte() throws Exception {
        for (Net.Kind kind : Net.Kind.values()) {
            if (kind == Net.Kind.EPOLL && !io.netty.channel.epoll.Epoll.isAvailable()) {
                continue;
            }
            EventLoopGroup peerGroup = kind.group(1, "test-peer");
            RawRelay relay = new RawRelay(kind, 1);
            try {
                int peerPort = Net.freePort();
                Channel peer = EchoPeer.bind(kind, peerGroup, peerPort, new EchoPeer.EchoHandler());
                int port = relay.listen(0, new InetSocketAddress(Net.LOOPBACK, peerPort));
                byte[] sent = Payloads.random(3 * 1024 * 1024 + 17);
                byte[] back = new byte[sent.length];
                try (Socket s = new Socket(Net.LOOPBACK, port)) {
                    s.setSoTimeout(20_000);
                    Thread writer = new Thread(() -> {
                        try {
                            OutputStream out = s.getOutputStream();
                            for (int i = 0; i < sent.length; i += 10_000) {
                                out.write(sent, i, Math.min(10_000, sent.length - i));
                            }
                            out.flush();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    writer.start();
                    new DataInputStream(s.getInputStream()).readFully(back);
                    writer.join(20_000);
                    s.shutdownOutput();
                    assertEquals(-1, s.getInputStream().read(), kind + ": relay must close after the peer does");
                }
                assertArrayEquals(sent, back, kind + ": relayed bytes differ");
                peer.close().sync();
            } finally {
                relay.close();
                peerGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
            }
        }
    }
}
