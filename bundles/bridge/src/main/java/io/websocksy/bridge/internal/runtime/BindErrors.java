package io.websocksy.bridge.internal.runtime;

import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

import io.netty.channel.unix.Errors;

/**
 * Says why a listen socket could not be bound in words an operator reads at once: {@code address
 * already in use} rather than Netty's {@code bind(..) failed with error(-98)}, {@code cannot resolve
 * the host name} rather than the {@code null} message of an {@link UnresolvedAddressException}.
 */
public final class BindErrors {
    // Linux errno values reported by Netty's native transport as negative numbers
    private static final int EACCES = 13;
    private static final int EADDRINUSE = 98;
    private static final int EADDRNOTAVAIL = 99;

    private BindErrors() {
    }

    /**
     * @param cause the bind failure
     * @return a short lower-case description
     */
    public static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "cannot resolve the host name";
            }
            if (t instanceof Errors.NativeIoException) {
                int errno = Math.abs(((Errors.NativeIoException) t).expectedErr());
                String known = errno(errno);
                if (known != null) {
                    return known;
                }
            }
            String m = t.getMessage();
            if (m != null) {
                String l = m.toLowerCase(Locale.ROOT);
                if (l.contains("address already in use") || l.contains("error(-98)")) {
                    return "address already in use";
                }
                if (l.contains("cannot assign requested address") || l.contains("error(-99)")) {
                    return errno(EADDRNOTAVAIL);
                }
                if (l.contains("permission denied") || l.contains("error(-13)")) {
                    return errno(EACCES);
                }
            }
            if (t instanceof BindException && m != null) {
                return m.toLowerCase(Locale.ROOT);
            }
        }
        if (cause == null) {
            return "unknown error";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static String errno(int errno) {
        switch (errno) {
            case EADDRINUSE:
                return "address already in use";
            case EADDRNOTAVAIL:
                return "address not available on this host";
            case EACCES:
                return "permission denied (ports below 1024 need privileges)";
            default:
                return null;
        }
    }
}
