package io.websocksy.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.felix.main.AutoProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * {@code bin/websocksy}: parses the command line ({@link Arguments}), prints usage or one error line and
 * exits before anything starts, else embeds the Felix framework found on the class path (bin/felix.jar)
 * the way {@code org.apache.felix.main.Main} does (conf/config.properties, -D overrides, bundle/
 * auto-deploy), so that it controls the exit status.
 *
 * <p>With a {@link LaunchSpec} it registers a {@code java.util.function.Consumer<String>} service with the
 * encoded spec in the service property {@value #SPEC_PROPERTY}. The launcher agent bundle (the only
 * consumer) validates what needs the running container, writes the ConfigAdmin configurations and reports
 * {@code ok} or {@code error <status> <message>} through it. Nothing in the bundles depends on this class:
 * {@code java.*} types are shared by every class loader.
 *
 * <p>Exit status: 0 after a normal stop or {@code --help}; 2 for bad options (command line, INI file, or
 * refused by the agent); 1 when the framework or the listener cannot start (e.g. port in use).
 */
public final class Main {
    /** Service property carrying {@link LaunchSpec#encode()}. */
    public static final String SPEC_PROPERTY = "websocksy.launch.spec";
    /** Exit status for bad input. */
    public static final int EXIT_USAGE = 2;
    /** Exit status for a start failure. */
    public static final int EXIT_FAILURE = 1;

    private static final String STORAGE = Constants.FRAMEWORK_STORAGE;

    private final String home;
    private final LaunchSpec spec;
    private final PrintStream err;
    private final Directories dirs;
    private volatile Framework framework;
    private Path ownStorage; // a per-process cache directory that this process deletes when it ends

    private Main(String home, LaunchSpec spec, Directories dirs, PrintStream err) {
        this.home = home;
        this.spec = spec;
        this.dirs = dirs;
        this.err = err;
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args the command line
     * @param out  where usage goes
     * @param err  where errors go
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String home = System.getProperty("websocksy.home", ".");
        Arguments parsed;
        boolean websockify = WebsockifyArguments.handles(args); // 'websocksy websockify ...': websockify's options
        try {
            parsed = websockify ? WebsockifyArguments.parse(args) : Arguments.parse(args);
        } catch (ConfigError e) {
            err.println("websocksy: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (parsed.mode() == Arguments.Mode.HELP) {
            out.print(websockify ? WebsockifyArguments.usage() : Arguments.usage(home));
            out.flush();
            return 0;
        }
        if (parsed.mode() == Arguments.Mode.VERSION) {
            out.println(version());
            out.flush();
            return 0;
        }
        Directories dirs;
        try {
            dirs = Directories.resolve(Path.of(home), parsed.etc(), parsed.data(), System.getenv());
        } catch (ConfigError e) {
            err.println("websocksy: " + e.getMessage());
            return EXIT_USAGE;
        }
        return new Main(home, parsed.spec(), dirs, err).runFramework();
    }

    /** @return {@code websocksy <version>}, the version from this jar's manifest (Implementation-Version) */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "websocksy " + (v == null ? "(unknown version: not run from bin/websocksy.jar)" : v);
    }

    private int runFramework() {
        Map<String, String> props;
        try {
            props = frameworkProperties();
        } catch (IllegalStateException e) {
            // the state directory in use by another process, or a cache directory that cannot be made: one line
            err.println("websocksy: " + e.getMessage());
            return EXIT_FAILURE;
        }
        boolean hook = !"false".equalsIgnoreCase(props.get("felix.shutdown.hook"));
        Thread shutdown = new Thread(this::stopFramework, "websocksy-shutdown");
        try {
            FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Main.class.getClassLoader())
                    .findFirst().orElseThrow(() -> new BundleException("no OSGi framework on the class path"));
            Framework fw = factory.newFramework(props);
            framework = fw;
            if (hook) {
                Runtime.getRuntime().addShutdownHook(shutdown);
            }
            fw.init();
            CompletableFuture<String> report = new CompletableFuture<>();
            if (spec != null) {
                Hashtable<String, Object> sp = new Hashtable<>();
                sp.put(SPEC_PROPERTY, spec.encode());
                Consumer<String> reporter = report::complete;
                fw.getBundleContext().registerService(Consumer.class, reporter, sp);
            }
            AutoProcessor.process(props, fw.getBundleContext());
            int level = StartLevels.loggingFirst(fw);
            fw.start();
            StartLevels.raise(fw, level);
            int status = 0;
            if (spec != null) {
                status = awaitReport(fw, report, Long.getLong("websocksy.launch.timeout", 120));
                if (status != 0) {
                    fw.stop();
                }
            }
            FrameworkEvent event;
            do {
                event = fw.waitForStop(0);
            } while (event.getType() == FrameworkEvent.STOPPED_UPDATE);
            if (status == 0 && event.getType() == FrameworkEvent.ERROR) {
                err.println("websocksy: the OSGi framework stopped with an error: " + event.getThrowable());
                status = EXIT_FAILURE;
            }
            return status;
        } catch (BundleException | RuntimeException e) {
            err.println("websocksy: cannot start the OSGi framework: " + e.getMessage());
            stopFramework();
            return EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopFramework();
            return EXIT_FAILURE;
        } finally {
            deleteOwnStorage();
        }
    }

    /**
     * Waits for the launcher agent's verdict. Returns 0 once it reports {@code ok}; prints its error line and
     * returns its status otherwise. A framework that stops meanwhile (SIGTERM) ends the wait with 0: the
     * caller then sees the stop.
     */
    private int awaitReport(Framework fw, CompletableFuture<String> report, long timeoutSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            try {
                String r = report.get(200, TimeUnit.MILLISECONDS);
                if (r.equals("ok")) {
                    return 0;
                }
                // "error <status> <message>"
                String[] parts = r.split(" ", 3);
                int status = EXIT_FAILURE;
                String message = r;
                if (parts.length == 3 && parts[0].equals("error")) {
                    try {
                        status = Integer.parseInt(parts[1]);
                    } catch (NumberFormatException e) {
                        status = EXIT_FAILURE;
                    }
                    message = parts[2];
                }
                err.println("websocksy: " + message);
                err.flush();
                return status == 0 ? EXIT_FAILURE : status;
            } catch (TimeoutException e) {
                if ((fw.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
                    return 0;
                }
                if (System.nanoTime() - deadline > 0) {
                    err.println("websocksy: the command-line settings were not applied within " + timeoutSeconds
                            + " s (is the io.websocksy.launcher.agent bundle in " + home + "/bundle?)");
                    return EXIT_FAILURE;
                }
            } catch (ExecutionException e) {
                err.println("websocksy: " + e.getCause());
                return EXIT_FAILURE;
            }
        }
    }

    /**
     * conf/config.properties (felix.config.properties), overridden by {@code -Dfelix.*} and
     * {@code -Dorg.osgi.framework.*} system properties, as Felix's own launcher does. Unless
     * {@code -Dorg.osgi.framework.storage} names one, the bundle cache is a fresh private directory deleted
     * when the process ends, so two websocksy processes never share a cache and command-line
     * configurations never outlive their process. In command-line mode FileInstall deploys only jars.
     */
    private Map<String, String> frameworkProperties() {
        org.apache.felix.main.Main.loadSystemProperties();
        Map<String, String> props = org.apache.felix.main.Main.loadConfigProperties();
        if (props == null) {
            props = new HashMap<>();
        }
        org.apache.felix.main.Main.copySystemProperties(props);
        dirs.apply(props);
        if (dirs.data() != null && System.getProperty(STORAGE) == null) {
            props.put(STORAGE, dirs.cache().toString());
            props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        } else if (System.getProperty(STORAGE) == null) {
            try {
                ownStorage = Files.createTempDirectory("websocksy-cache-");
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a bundle cache directory: " + e.getMessage(), e);
            }
            props.put(STORAGE, ownStorage.toString());
            props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        if (spec != null) {
            // the command line replaces the websocksy.* .cfg files; plug-in jars and other configuration
            // (org.ops4j.pax.logging.cfg) still apply
            props.put("felix.fileinstall.filter", "(?!websocksy\\.).*");
            props.put("websocksy.launch.mode", "arguments");
            if (spec.verbose()) {
                verboseLogging(props);
            }
        }
        return props;
    }

    /**
     * websockify's {@code --verbose}: the logging configuration read at start plus DEBUG for the connection
     * log ({@code io.websocksy.connection}: every close) and the access log on the console too. That file is not applied live in this mode
     * (FileInstall leaves it out), since its ConfigAdmin copy would replace the verbose levels.
     */
    private static void verboseLogging(Map<String, String> props) {
        String base = props.get(Directories.PAX_PROPERTY_FILE);
        StringBuilder cfg = new StringBuilder();
        try {
            if (base != null && Files.isRegularFile(Path.of(base))) {
                cfg.append(Files.readString(Path.of(base))).append('\n');
            }
            cfg.append("log4j2.logger.verbose.name = io.websocksy.connection\n")
                    .append("log4j2.logger.verbose.level = DEBUG\n")
                    .append("log4j2.logger.access.appenderRef.console.ref = console\n");
            Path f = Files.createTempFile("websocksy-verbose-", ".cfg");
            f.toFile().deleteOnExit();
            Files.writeString(f, cfg);
            props.put(Directories.PAX_PROPERTY_FILE, f.toString());
            props.put("felix.fileinstall.filter", "(?!websocksy\\.|org\\.ops4j\\.pax\\.logging).*");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the --verbose logging configuration: " + e.getMessage(), e);
        }
    }

    private void stopFramework() {
        Framework fw = framework;
        if (fw == null) {
            return;
        }
        try {
            fw.stop();
            fw.waitForStop(30_000);
        } catch (BundleException | RuntimeException e) {
            err.println("websocksy: error stopping the OSGi framework: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteOwnStorage();
    }

    private synchronized void deleteOwnStorage() {
        Path dir = ownStorage;
        Framework fw = framework;
        if (dir == null || (fw != null && (fw.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) != 0)) {
            return;
        }
        ownStorage = null;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            err.println("websocksy: could not remove the bundle cache " + dir + ": " + e.getMessage());
        }
    }
}
