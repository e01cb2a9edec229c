package io.websocksy.bridge.internal.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import io.netty.util.NetUtil;

/**
 * An IP address or CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 127.0.0.1}). Parsing
 * accepts only literal addresses (never a DNS look-up). IPv4-mapped IPv6 addresses
 * ({@code ::ffff:127.0.0.1}) are compared as the IPv4 address they carry, both in ranges and in the
 * addresses checked, so a mapped address cannot slip past an IPv4 rule. Immutable.
 */
public final class IpRange {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private IpRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * @param s {@code address} or {@code address/prefix}; IPv6 may be in brackets
     * @return the range
     * @throws IllegalArgumentException when {@code s} is not a literal address or the prefix is out of range
     */
    static IpRange parse(String s) {
        String t = s.trim();
        String addr = t;
        int prefix = -1;
        int slash = t.indexOf('/');
        if (slash >= 0) {
            addr = t.substring(0, slash);
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + s + "': bad prefix length '" + p + "'");
            }
            prefix = Integer.parseInt(p);
        }
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        byte[] bytes = literal(addr);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address or CIDR range");
        }
        int max = bytes.length * 8;
        if (prefix < 0) {
            prefix = max;
        } else if (bytes.length == 4 && isMappedLiteral(addr)) {
            // ::ffff:a.b.c.d/104 -> a.b.c.d/8
            prefix -= 96;
            if (prefix < 0) {
                throw new IllegalArgumentException("'" + s + "': prefix of a mapped IPv4 range must be 96-128");
            }
        }
        if (prefix > max) {
            throw new IllegalArgumentException("'" + s + "': prefix length " + prefix + " is more than " + max);
        }
        return new IpRange(mask(bytes, prefix), prefix, t);
    }

    /** @return true when {@code s} parses as an IP literal or CIDR range */
    static boolean looksLikeRange(String s) {
        try {
            parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isMappedLiteral(String addr) {
        return addr.indexOf(':') >= 0;
    }

    /** @return the address bytes (4 for IPv4 and IPv4-mapped IPv6, else 16), or null when not a literal */
    static byte[] literal(String addr) {
        if (addr.isEmpty()) {
            return null;
        }
        byte[] b = NetUtil.createByteArrayFromIpAddressString(addr);
        if (b == null) {
            return null;
        }
        return normalise(b);
    }

    /** @return 4 bytes for IPv4 and IPv4-mapped IPv6, else the 16 bytes */
    static byte[] normalise(byte[] b) {
        if (b.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (b[i] != 0) {
                    return b;
                }
            }
            if (b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                return Arrays.copyOfRange(b, 12, 16);
            }
        }
        return b;
    }

    /** @return the address normalised ({@code ::ffff:a.b.c.d} becomes {@code a.b.c.d}) */
    static InetAddress normalise(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = normalise(a.getAddress());
            if (b.length == 4) {
                try {
                    return InetAddress.getByAddress(b);
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // 4 bytes are always valid
                }
            }
        }
        return a;
    }

    private static byte[] mask(byte[] b, int prefix) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }

    /** @return true when {@code a} (normalised) lies in this range */
    boolean contains(InetAddress a) {
        if (a == null) {
            return false;
        }
        byte[] b = normalise(a.getAddress());
        if (b.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(b, prefix), network);
    }

    @Override
    public String toString() {
        return text;
    }

    /** @return the canonical text of an address: IPv4 dotted, IPv6 compressed in brackets-free form */
    static String format(InetAddress a) {
        InetAddress n = normalise(a);
        return n instanceof Inet4Address ? n.getHostAddress() : NetUtil.toAddressString(n);
    }
}
