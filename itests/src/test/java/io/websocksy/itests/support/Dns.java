package io.websocksy.itests.support;

import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Guards DNS tests: a name that is not in /etc/hosts may only be looked up once the bridge's
 * transport demonstrably uses the stub DNS server on 127.0.0.1 — this machine's own resolver is on
 * a non-loopback address, and no test traffic may go there.
 */
public final class Dns {
    private Dns() {
    }

    /** @return the stub DNS port the driver chose (system property set by {@link WebsocksyOptions}) */
    public static int stubPort() {
        String p = System.getProperty(WebsocksyOptions.DNS_PORT);
        if (p == null) {
            throw new IllegalStateException("system property " + WebsocksyOptions.DNS_PORT + " is not set");
        }
        return Integer.parseInt(p);
    }

    /**
     * Waits until a service registered by the transport component carries
     * {@code dns-servers=127.0.0.1:<stub port>} (DS publishes configuration properties as service
     * properties), and fails otherwise, before any lookup is attempted.
     *
     * @param ctx the probe's context
     */
    public static void awaitTransportUsesStub(BundleContext ctx) {
        String filter = "(&(service.pid=" + WebsocksyOptions.TRANSPORT_PID + ")(dns-servers=127.0.0.1:" + stubPort() + "))";
        try {
            Poll.until(Duration.ofSeconds(15), "a service of PID " + WebsocksyOptions.TRANSPORT_PID
                    + " with dns-servers=127.0.0.1:" + stubPort()
                    + " (the transport must publish its configuration as service properties; without proof that"
                    + " the stub DNS is in use this test refuses to send a DNS query that might leave loopback)",
                    () -> {
                        try {
                            ServiceReference<?>[] refs = ctx.getServiceReferences((String) null, filter);
                            return refs != null && refs.length > 0;
                        } catch (InvalidSyntaxException e) {
                            throw new IllegalArgumentException(e);
                        }
                    });
        } catch (AssertionError e) {
            throw e;
        }
    }
}
