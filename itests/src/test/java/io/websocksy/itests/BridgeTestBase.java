package io.websocksy.itests;

import static io.websocksy.itests.support.WebsocksyOptions.websocksyRuntime;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;

import javax.inject.Inject;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import io.websocksy.itests.support.Bridge;
import io.websocksy.itests.support.StubDns;

/**
 * What every Pax Exam test class shares: the real runtime bundle set in Felix, a stub DNS server on
 * loopback for the transport, and a per-test {@link Bridge} fixture that undoes its configurations
 * and fails the test on a Netty leak report.
 */
public abstract class BridgeTestBase {
    private static StubDns dns;

    @Inject
    protected BundleContext ctx;
    @Inject
    protected ConfigurationAdmin cm;

    protected Bridge bridge;

    /** @return the framer names the test class needs before it starts */
    protected abstract String[] framers();

    @Configuration
    public Option[] config() throws IOException {
        dns = new StubDns();
        return options(websocksyRuntime(dns.port()));
    }

    /** @return the stub DNS server the transport is pointed at (answers NXDOMAIN, optionally late) */
    protected static StubDns dns() {
        return dns;
    }

    @AfterClass
    public static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    @Before
    public void startFixture() {
        bridge = new Bridge(ctx, cm);
        bridge.awaitFramers(framers());
    }

    @After
    public void closeFixture() throws Exception {
        bridge.close();
    }
}
