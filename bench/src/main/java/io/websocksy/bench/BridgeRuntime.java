package io.websocksy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real websocksy runtime, as the user runs it: a private copy of {@code runtime/target/websocksy/}
 * (so its bundle cache is its own), started with {@code bin/websocksy} and a generated deploy directory
 * of {@code .cfg} files. Three listeners, each with a default backend using the {@code binary} framer:
 * {@code echo} and {@code down} go to the echo peer's echo and source ports, {@code scale} to a
 * separate echo port (so the idle-bridge scenario's closed sockets never collide with the others').
 * {@link #writeTlsListeners} adds two listeners on the {@code echo} backend that serve {@code wss://}: {@code wss-jdk}
 * ({@code tls-provider = jdk}) and {@code wss-openssl} ({@code tls-provider = openssl}, netty-tcnative in the
 * runtime; the listener stays down and its log line says why when it is not available).
 */
final class BridgeRuntime {
    /**
     * Listener and backend instance names, and their ports. {@code wssJdk} and {@code wssOpenssl} are TLS
     * listeners ({@code tls-provider = jdk} / {@code openssl}) on the {@code echo} backend.
     */
    record Ports(int wsEcho, int wsDown, int wsScale, int peerEcho, int peerSource, int peerScale, int wssJdk,
            int wssOpenssl) {
    }

    /** Listener names of the TLS listeners, which are also the report's target names. */
    static final String WSS_JDK = "wss-jdk";
    static final String WSS_OPENSSL = "wss-openssl";

    private final Path home;

    private BridgeRuntime(Path home) {
        this.home = home;
    }

    /**
     * Copies the assembled runtime into {@code work/websocksy} (without its cache and deploy directory).
     *
     * @param dist {@code runtime/target/websocksy}
     * @param work the run directory
     * @return the runtime
     * @throws IOException when the copy fails
     */
    static BridgeRuntime install(Path dist, Path work) throws IOException {
        if (!Files.isExecutable(dist.resolve("bin/websocksy"))) {
            throw new IllegalStateException("no runtime at " + dist + " (bin/websocksy missing): build it first, "
                    + "e.g. mvn -B -ntp -Pbench -DskipTests -pl bench -am package");
        }
        Path home = work.resolve("websocksy");
        deleteTree(home);
        try (Stream<Path> s = Files.walk(dist)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path rel = dist.relativize(p);
                if (rel.startsWith("felix-cache") || rel.startsWith("deploy")) {
                    continue;
                }
                Path to = home.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return new BridgeRuntime(home);
    }

    Path home() {
        return home;
    }

    /**
     * Writes the deploy directory for one run: listeners, backends and the transport choice.
     *
     * @param deploy directory (created, emptied)
     * @param transport epoll or nio
     * @param p ports
     * @return the files written, name to content (for the report)
     * @throws IOException when a file cannot be written
     */
    static Map<String, String> writeDeploy(Path deploy, Net.Kind transport, Ports p) throws IOException {
        deleteTree(deploy);
        Files.createDirectories(deploy);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("websocksy.transport.cfg", "epoll = " + (transport == Net.Kind.EPOLL) + "\n");
        listener(files, "echo", p.wsEcho());
        listener(files, "down", p.wsDown());
        listener(files, "scale", p.wsScale());
        backend(files, "echo", p.peerEcho());
        backend(files, "down", p.peerSource());
        backend(files, "scale", p.peerScale());
        write(deploy, files);
        return files;
    }

    /**
     * Adds the two wss listeners to a deploy directory the runtime already watches (written after the plain
     * listeners are up, so the start-up figures stay those of the plain deploy directory).
     *
     * @param deploy the deploy directory
     * @param p ports
     * @param tls certificate and key
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    static Map<String, String> writeTlsListeners(Path deploy, Ports p, BenchTls tls) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("websocksy.listener-" + WSS_JDK + ".cfg", listenerText(p.wssJdk(), "echo") + tls.listenerLines("jdk"));
        files.put("websocksy.listener-" + WSS_OPENSSL + ".cfg", listenerText(p.wssOpenssl(), "echo")
                + tls.listenerLines("openssl"));
        write(deploy, files);
        return files;
    }

    private static void write(Path deploy, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            // written as .tmp and renamed, so FileInstall never sees a half-written file (STACK P10)
            Path tmp = deploy.resolve(e.getKey() + ".tmp");
            Files.writeString(tmp, e.getValue(), StandardOpenOption.CREATE_NEW);
            Files.move(tmp, deploy.resolve(e.getKey()), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * Adds a listener on the {@code echo} backend with {@code compression = on} (permessage-deflate, issue 18),
     * written once the plain listeners are up.
     *
     * @return the files written
     */
    static Map<String, String> writeDeflateListener(Path deploy, int port) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("websocksy.listener-" + DEFLATE + ".cfg", listenerText(port, "echo") + "compression = on\n");
        write(deploy, files);
        return files;
    }

    /** Listener name of the permessage-deflate listener, also the report's target name. */
    static final String DEFLATE = "bridge-deflate";

    private static void listener(Map<String, String> files, String name, int port) {
        files.put("websocksy.listener-" + name + ".cfg", listenerText(port, name));
    }

    private static String listenerText(int port, String backend) {
        return "listen = " + Net.LOOPBACK + "\nport = " + port + "\nbackend = " + backend + "\n";
    }

    private static void backend(Map<String, String> files, String name, int peerPort) {
        files.put("websocksy.backend.default-" + name + ".cfg", "name = " + name + "\nhost = tcp://" + Net.LOOPBACK
                + ":" + peerPort + "\nframing = binary\n");
    }

    /**
     * Starts {@code bin/websocksy} headless (stdin is a pipe).
     *
     * @param name label
     * @param run run directory (logs)
     * @param deploy deploy directory
     * @param jvmOpts extra JVM flags (WEBSOCKSY_OPTS)
     * @return the process
     * @throws IOException when it cannot be started
     */
    Proc start(String name, Path run, Path deploy, List<String> jvmOpts) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/websocksy").toString()));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WEBSOCKSY_DEPLOY", deploy.toString());
        // an empty configuration directory: the release's etc/ would add its default listener on [::]:8001
        env.put("WEBSOCKSY_ETC", Files.createDirectories(run.resolve("etc")).toString());
        env.put("WEBSOCKSY_OPTS", String.join(" ", jvmOpts));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return Proc.start(name, run, cmd, env, null);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(x);
            }
        }
    }
}
