package io.websocksy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import io.websocksy.itests.support.Poll;
import io.websocksy.itests.support.Ports;
import io.websocksy.itests.support.TcpPeer;
import io.websocksy.itests.support.Websocksy;
import io.websocksy.itests.support.WsClient;

/**
 * The features repository (karaf/) in a stock Apache Karaf 4.4.10 unpacked from Maven Central:
 * {@code feature:repo-add} and {@code feature:install websocksy} through Karaf's own {@code bin/client},
 * then a listener {@code .cfg} dropped into Karaf's {@code etc/} bridges an echo, and the websocksy:*
 * commands answer in Karaf's console. Karaf runs with SSH and RMI on free loopback ports and resolves
 * {@code mvn:io.websocksy/...} from this build (target/karaf-repo), everything else from the local Maven
 * repository or Karaf's system/; it never goes to the network.
 */
public class KarafIT {
    private static Path karaf;
    private static Process process;
    private static TcpPeer echo;
    private static final int SSH = Ports.freePort();
    private static final int LISTENER = Ports.freePort();
    private static Path log;

    private static Path prop(String name) {
        String v = System.getProperty(name);
        assertTrue("system property " + name + " not set (run through failsafe)", v != null);
        return Paths.get(v).toAbsolutePath();
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertTrue(file + " has no '" + from + "'", s.contains(from));
        Files.writeString(file, s.replace(from, to));
    }

    @BeforeClass
    public static void start() throws Exception {
        Path stock = prop("websocksy.karaf.home");
        assertTrue("Karaf not unpacked at " + stock, Files.isExecutable(stock.resolve("bin/karaf")));
        karaf = Files.createTempDirectory("websocksy-karaf-it").resolve("karaf");
        copyTree(stock, karaf);
        Path etc = karaf.resolve("etc");
        edit(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = " + SSH);
        edit(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost = 0.0.0.0", "sshHost = 127.0.0.1");
        edit(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort = 1099",
                "rmiRegistryPort = " + Ports.freePort());
        edit(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort = 44444",
                "rmiServerPort = " + Ports.freePort());
        edit(etc.resolve("users.properties"), "#karaf = karaf,_g_:admingroup", "karaf = karaf,_g_:admingroup");
        edit(etc.resolve("users.properties"), "#_g_\\:admingroup", "_g_\\:admingroup");
        // this build's bundles first, then the local repository; no remote repository (offline)
        Path mvn = etc.resolve("org.ops4j.pax.url.mvn.cfg");
        assertTrue(Files.readString(mvn).contains("org.ops4j.pax.url.mvn.defaultRepositories"));
        Files.writeString(mvn, "org.ops4j.pax.url.mvn.certificateCheck=true\n"
                + "org.ops4j.pax.url.mvn.useFallbackRepositories=false\n"
                + "org.ops4j.pax.url.mvn.defaultRepositories=" + prop("websocksy.karaf.repo").toUri()
                + "@id=websocksy.build@snapshots, ${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots\n"
                + "org.ops4j.pax.url.mvn.repositories=\n"
                + "org.ops4j.pax.url.mvn.localRepository=" + prop("websocksy.m2") + "\n"
                + "org.ops4j.pax.url.mvn.offline=true\n");

        echo = TcpPeer.echo();
        log = karaf.getParent().resolve("karaf-console.log");
        ProcessBuilder pb = new ProcessBuilder(karaf.resolve("bin/karaf").toString(), "server");
        pb.directory(karaf.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        javaHome(pb);
        process = pb.start();
        Poll.until(Duration.ofSeconds(90), "Karaf's SSH console on " + SSH + " (" + log + ", " + karafLog() + ")",
                () -> Ports.accepts(SSH));
    }

    private static Path karafLog() {
        return karaf.resolve("data/log/karaf.log");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        if (process != null) {
            // bin/karaf runs the Karaf JVM as its child: SIGTERM that first (Karaf stops its bundles and exits)
            List<ProcessHandle> all = new ArrayList<>();
            process.toHandle().descendants().forEach(all::add);
            all.add(process.toHandle());
            for (ProcessHandle h : all) {
                h.destroy();
            }
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
        }
        if (echo != null) {
            echo.close();
        }
        if (karaf != null && !Boolean.getBoolean("websocksy.karaf.keep")) {
            // the copy of Karaf (about 40 MB); -Dwebsocksy.karaf.keep=true keeps it for a look at data/log
            try (Stream<Path> s = Files.walk(karaf.getParent())) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Runs one console command through Karaf's bin/client (SSH) and returns what the console printed. The
     * command goes in on standard input (bin/client with the command as an argument and no terminal closes
     * the session before any output); the session ends at end of input.
     */
    private static String console(String command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(karaf.resolve("bin/client").toString(), "-h", "127.0.0.1", "-a",
                Integer.toString(SSH), "-u", "karaf", "-p", "karaf", "-r", "30", "-d", "2"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(karaf.toFile()).redirectErrorStream(true);
        javaHome(pb);
        Process p = pb.start();
        p.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue("bin/client did not end: " + command, p.waitFor(120, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals("'" + command + "' failed: " + text, 0, p.exitValue());
        assertTrue("'" + command + "' failed: " + text, !text.contains("Error executing command"));
        return text;
    }

    /** Karaf's scripts want JAVA_HOME: the JVM running the tests. */
    private static void javaHome(ProcessBuilder pb) {
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    }

    @Test
    public void featureInstallsAndBridgesAnEcho() throws Exception {
        Path features = prop("websocksy.karaf.features");
        assertTrue("features.xml not built at " + features, Files.isRegularFile(features));
        console("feature:repo-add " + features.toUri());
        console("feature:install websocksy");
        String installed = console("feature:list -i");
        assertTrue(installed, installed.lines().anyMatch(l -> l.startsWith("websocksy ") && l.contains("Started")));

        Path etc = karaf.resolve("etc");
        Websocksy.writeAtomically(etc, "websocksy.backend.default-main.cfg",
                "name = main\nhost = " + echo.address() + "\nframing = auto\n");
        Websocksy.writeAtomically(etc, "websocksy.listener-main.cfg",
                "listen = 127.0.0.1\nport = " + LISTENER + "\nbackend = main\n");
        Poll.until(Duration.ofSeconds(60), "the listener on " + LISTENER + " (" + karafLog() + ")",
                () -> Ports.accepts(LISTENER));
        try (WsClient c = WsClient.connectWhenRouted(LISTENER, "/", Duration.ofSeconds(60))) {
            c.sendText("hello from Karaf");
            assertEquals("hello from Karaf", c.nextMessage(Duration.ofSeconds(10)).string());
            // the Gogo commands of the shell bundle run in Karaf's console
            String listeners = console("websocksy:listeners");
            assertTrue(listeners, listeners.contains("main") && listeners.contains("127.0.0.1:" + LISTENER));
        }

        console("feature:install websocksy-plugins");
        Poll.until(Duration.ofSeconds(30), "the plugin framers in websocksy:framers", () -> {
            try {
                String f = console("websocksy:framers");
                return f.contains("fixedlength") && f.contains("dynamic32") && f.contains("json");
            } catch (Exception e) {
                return false;
            }
        });
    }
}
