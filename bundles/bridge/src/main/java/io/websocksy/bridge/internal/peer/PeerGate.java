package io.websocksy.bridge.internal.peer;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.Future;
import io.websocksy.api.peer.PeerAddress;
import io.websocksy.bridge.internal.security.PeerAllowList;

/**
 * Connects a peer through the listener's {@code allowed-peers} ({@link PeerAllowList}): a tcp/udp
 * name is resolved once (asynchronously, the transport's DNS resolver), the resolved address is
 * checked, and the channel connects to exactly that address (no second look-up, so a DNS answer
 * that changes between check and connect cannot redirect it). A unix path is checked and connected
 * by its real path. A refused peer fails the returned future with {@link PeerNotAllowedException}
 * before any packet is sent to it.
 */
public final class PeerGate {
    private PeerGate() {
    }

    /**
     * @param b the bootstrap, with group, channel class, options and handler set
     * @param resolver the transport's resolver for the channel's event loop
     * @param list the allow-list (not empty)
     * @param a the peer (tcp or udp)
     * @return the connect future of the new channel
     */
    static ChannelFuture connectInet(Bootstrap b, AddressResolver<InetSocketAddress> resolver, PeerAllowList list,
            PeerAddress a) {
        ChannelFuture reg = b.register();
        Channel ch = reg.channel();
        ChannelPromise promise = ch.newPromise();
        reg.addListener(r -> {
            if (!r.isSuccess()) {
                promise.tryFailure(r.cause());
                return;
            }
            Future<InetSocketAddress> res = resolver.resolve(InetSocketAddress.createUnresolved(a.host(), a.port()));
            res.addListener(x -> {
                if (!x.isSuccess()) {
                    promise.tryFailure(x.cause());
                    ch.close();
                    return;
                }
                InetSocketAddress resolved = res.getNow();
                String why = list.checkInet(a.transport(), a.host(), resolved);
                if (why != null) {
                    promise.tryFailure(new PeerNotAllowedException(why));
                    ch.close();
                    return;
                }
                if (!promise.isDone()) {
                    ch.connect(resolved, promise);
                }
            });
        });
        return promise;
    }

    /**
     * @param b the bootstrap, ready but for the address
     * @param list the allow-list (not empty)
     * @param path the unix peer path
     * @param address maps the checked real path to the transport's socket address
     * @param local the local address (unix-dgram), or null
     * @return the connect future
     */
    static ChannelFuture connectUnix(Bootstrap b, PeerAllowList list, String path,
            java.util.function.Function<String, SocketAddress> address, SocketAddress local) {
        Path real = PeerAllowList.realPath(path);
        String why = list.checkUnix(real);
        if (why != null) {
            ChannelFuture reg = b.register();
            Channel ch = reg.channel();
            ChannelPromise promise = ch.newPromise();
            promise.setFailure(new PeerNotAllowedException(why));
            ch.close();
            return promise;
        }
        SocketAddress remote = address.apply(real.toString());
        return local == null ? b.connect(remote) : b.connect(remote, local);
    }

    /** A route's peer is outside {@code allowed-peers}: the handshake answers 403. */
    public static final class PeerNotAllowedException extends Exception {
        private static final long serialVersionUID = 1L;

        PeerNotAllowedException(String message) {
            super(message, null, false, false);
        }
    }
}
