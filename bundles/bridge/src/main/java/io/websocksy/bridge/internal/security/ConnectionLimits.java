package io.websocksy.bridge.internal.security;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

import io.netty.channel.Channel;

/**
 * One listener's {@code max-connections} and {@code max-connections-per-ip} (docs/behaviour.md#security, docs/conformance.md D4).
 * A client is counted from the moment its request passed the checks (before the route look-up) until
 * its channel closes, by the real client address ({@link ClientAddress}); IPv4-mapped IPv6 counts as
 * the IPv4 address. The release hangs on the channel's close future, which completes exactly once
 * however the channel ends (close handshake, error, RST), so the counters return to 0. The counters
 * outlive reconfiguration; the limits applied are those of the settings the caller passes.
 */
public final class ConnectionLimits {
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    private int total;

    /**
     * Counts {@code ch} when both limits allow it; the count is released when {@code ch} closes.
     *
     * @param ch the client channel
     * @param ip the real client address
     * @param maxTotal 0 = unlimited
     * @param maxPerIp 0 = unlimited
     * @return null when admitted, else the reason for the 503
     */
    public String tryAcquire(Channel ch, InetAddress ip, int maxTotal, int maxPerIp) {
        InetAddress key = IpRange.normalise(ip);
        synchronized (this) {
            if (maxTotal > 0 && total >= maxTotal) {
                return "listener has " + total + " connections (max-connections = " + maxTotal + ")";
            }
            int mine = perIp.getOrDefault(key, 0);
            if (maxPerIp > 0 && mine >= maxPerIp) {
                return IpRange.format(key) + " has " + mine + " connections (max-connections-per-ip = "
                        + maxPerIp + ")";
            }
            total++;
            perIp.put(key, mine + 1);
        }
        ch.closeFuture().addListener(f -> release(key));
        return null;
    }

    private synchronized void release(InetAddress key) {
        total--;
        Integer n = perIp.get(key);
        if (n == null || n <= 1) {
            perIp.remove(key);
        } else {
            perIp.put(key, n - 1);
        }
    }

    /** @return connections counted now */
    public synchronized int total() {
        return total;
    }

    /** @return connections counted now for {@code ip} */
    synchronized int of(InetAddress ip) {
        return perIp.getOrDefault(IpRange.normalise(ip), 0);
    }

    /** @return distinct client addresses counted now */
    synchronized int addresses() {
        return perIp.size();
    }
}
