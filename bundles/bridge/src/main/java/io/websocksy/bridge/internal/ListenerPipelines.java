package io.websocksy.bridge.internal;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The pipelines, in one place, with handler names as constants. Client before the upgrade:
 * {@code http} (request head) then {@code upgrade}. Client after: {@code wsencoder}, {@code wsdecoder},
 * {@code utf8}, {@code keepalive} (when ping is on), {@code client}. Peer: {@code framing} or
 * {@code datagram}, then {@code peer}.
 */
final class ListenerPipelines {
    static final String HTTP = "http";
    static final String UPGRADE = "upgrade";
    static final String WS_ENCODER = "wsencoder";
    static final String WS_DECODER = "wsdecoder";
    static final String UTF8 = "utf8";
    static final String KEEPALIVE = "keepalive";
    static final String CLIENT = "client";
    static final String FRAMING = "framing";
    static final String DATAGRAM = "datagram";
    static final String PEER = "peer";

    private ListenerPipelines() {
    }

    static void peer(Channel ch, Connection conn) {
        ChannelPipeline p = ch.pipeline();
        if (conn.isDatagram()) {
            p.addLast(DATAGRAM, new PeerDatagramDecoder(conn.framingState(), conn.framer()));
        } else {
            p.addLast(FRAMING, new PeerFramingDecoder(conn.framingState(), conn.framer(),
                    conn.settings().maxMessageSize));
        }
        p.addLast(PEER, new PeerHandler(conn));
    }

    /**
     * Switches a client pipeline from HTTP to WebSocket. Must run after the 101 is written; bytes the
     * client pipelined behind its request go straight to the frame decoder.
     */
    static void upgrade(ChannelPipeline p, Connection conn) {
        ListenerSettings s = conn.settings();
        p.addBefore(HTTP, WS_ENCODER, new WebSocket13FrameEncoder(false));
        p.addAfter(HTTP, UTF8, new ClientUtf8Check(conn));
        String last = UTF8;
        if (s.ping > 0) {
            p.addAfter(UTF8, KEEPALIVE, new IdleStateHandler(s.ping, 0, 0, TimeUnit.SECONDS));
            last = KEEPALIVE;
        }
        p.addAfter(last, CLIENT, new ClientHandler(conn));
        p.remove(UPGRADE);
        p.replace(HTTP, WS_DECODER, new ClientFrameDecoder(s.maxFrameSize, conn));
    }
}
