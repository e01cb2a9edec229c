package io.websocksy.itests.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.ops4j.pax.exam.Option;

/**
 * Composable Pax Exam options for the websocksy runtime. These run in the driver (the
 * {@code @Configuration} method), before the framework starts; with the native container the driver
 * and the framework share one JVM.
 */
public final class WebsocksyOptions {
    /** Failsafe system property: directory holding the reactor bundles (STACK P12). */
    public static final String IT_BUNDLES = "websocksy.it.bundles";
    /** System property through which the driver tells the probe the stub DNS server's port. */
    public static final String DNS_PORT = "websocksy.it.dns.port";
    /** Singleton PID of the bridge's transport (event loops, DNS). */
    public static final String TRANSPORT_PID = "websocksy.transport";

    private WebsocksyOptions() {
    }

    /**
     * Everything a websocksy runtime starts with: DS, ConfigAdmin, FileInstall, metatype, log, slf4j,
     * Netty (with the epoll fragment) and the four websocksy bundles, plus JUnit for the probe.
     *
     * @param dnsPort port of the stub DNS server on 127.0.0.1 that the transport is pointed at from
     *     the very first moment (seeded as {@code websocksy.transport.cfg} into FileInstall's
     *     directory), so that no DNS query can ever leave loopback
     * @return the options
     */
    public static Option websocksyRuntime(int dnsPort) {
        return composite(
                junitBundles(),
                systemProperty(DNS_PORT).value(Integer.toString(dnsPort)),
                felixInfrastructure(),
                fileInstall(deployDirWithTransport(dnsPort)),
                nettyBundles(),
                websocksyBundles(),
                shellBundles());
    }

    /**
     * @return the Gogo runtime (command processor, no console) and the {@code websocksy:*} commands;
     *     tests run commands through the injected {@code CommandProcessor}
     */
    public static Option shellBundles() {
        return composite(
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                reactorBundle("io.websocksy.shell"));
    }

    /** @return DS (SCR + its APIs), ConfigAdmin, metatype, log, slf4j */
    public static Option felixInfrastructure() {
        return composite(
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.log").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject());
    }

    /**
     * @param dir the directory FileInstall watches
     * @return FileInstall, configured as the runtime is (no config save-back: STACK P9)
     */
    public static Option fileInstall(File dir) {
        return composite(
                frameworkProperty("felix.fileinstall.dir").value(dir.getAbsolutePath()),
                frameworkProperty("felix.fileinstall.poll").value("200"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("felix.fileinstall.enableConfigSave").value("false"),
                frameworkProperty("felix.fileinstall.log.level").value("2"),
                mavenBundle("org.apache.felix", "org.apache.felix.fileinstall").versionAsInProject());
    }

    /** @return the Netty 4.1 bundles, including the epoll native fragment (not started: fragments can't be) */
    public static Option nettyBundles() {
        return composite(
                netty("netty-common"),
                netty("netty-buffer"),
                netty("netty-resolver"),
                netty("netty-transport"),
                netty("netty-codec"),
                netty("netty-handler"),
                netty("netty-codec-http"),
                netty("netty-codec-dns"),
                netty("netty-codec-haproxy"),
                netty("netty-resolver-dns"),
                netty("netty-transport-native-unix-common"),
                netty("netty-transport-classes-epoll"),
                mavenBundle("io.netty", "netty-transport-native-epoll").classifier("linux-x86_64")
                        .versionAsInProject().noStart());
    }

    /** @return the reactor bundles, from {@code target/it-bundles} as {@code file:} URLs */
    public static Option websocksyBundles() {
        return composite(
                reactorBundle("io.websocksy.api"),
                reactorBundle("io.websocksy.framers"),
                reactorBundle("io.websocksy.backend.default"),
                reactorBundle("io.websocksy.backend.file"),
                reactorBundle("io.websocksy.bridge"));
    }

    private static Option netty(String artifactId) {
        return mavenBundle("io.netty", artifactId).versionAsInProject();
    }

    /**
     * @return the token backends of issue 15 (token files, JWT, Redis) with the libraries they import:
     *     nimbus-jose-jwt, reactor-core and reactive-streams (Lettuce is embedded in the Redis backend)
     */
    public static Option tokenBackendBundles() {
        return composite(
                mavenBundle("com.nimbusds", "nimbus-jose-jwt").versionAsInProject(),
                mavenBundle("org.reactivestreams", "reactive-streams").versionAsInProject(),
                mavenBundle("io.projectreactor", "reactor-core").versionAsInProject(),
                reactorBundle("io.websocksy.backend.token"),
                reactorBundle("io.websocksy.backend.jwt"),
                reactorBundle("io.websocksy.backend.redis"));
    }

    private static Option reactorBundle(String artifactId) {
        File jar = new File(itBundlesDir(), artifactId + ".jar");
        if (!jar.isFile()) {
            throw new IllegalStateException("reactor bundle " + jar + " is missing: run through 'mvn verify'"
                    + " so that dependency:copy-dependencies fills " + itBundlesDir());
        }
        return bundle(jar.toURI().toString());
    }

    private static File itBundlesDir() {
        String dir = System.getProperty(IT_BUNDLES);
        if (dir == null) {
            throw new IllegalStateException("system property " + IT_BUNDLES + " is not set (failsafe sets it)");
        }
        return new File(dir);
    }

    /**
     * Creates a fresh watched directory holding {@code websocksy.transport.cfg} with
     * {@code dns-servers=127.0.0.1:<dnsPort>}.
     */
    private static File deployDirWithTransport(int dnsPort) {
        try {
            Path base = itBundlesDir().toPath().getParent().resolve("it-deploy");
            Files.createDirectories(base);
            Path dir = Files.createTempDirectory(base, "deploy");
            Path tmp = dir.resolve(TRANSPORT_PID + ".tmp");
            Files.write(tmp, ("dns-servers = 127.0.0.1:" + dnsPort + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, dir.resolve(TRANSPORT_PID + ".cfg"), StandardCopyOption.ATOMIC_MOVE);
            return dir.toFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
