package io.websocksy.itests.support;

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

import org.junit.Assume;

/**
 * Real client programs for the integration tests, from Debian and npm packages that {@code .ci/run}
 * installs: Xvfb, xsetroot, xterm, x11vnc, mosquitto, Chromium ({@code /usr/bin/chromium}, driven by npm
 * {@code playwright-core}), node and the npm packages in {@code itests/realclients} ({@code npm ci}). A test
 * that lacks one says so on stderr and is skipped (JUnit assumption), naming the package.
 */
public final class RealClients {
    /** The npm project with the drivers (novnc.js, mqtt-*.js, lines.js) and its node_modules. */
    public static final Path DIR = Paths.get(System.getProperty("basedir", "."), "realclients").toAbsolutePath();

    private RealClients() {
    }

    /**
     * Skips the calling test unless every executable exists.
     *
     * @param test     the test's name, for the message
     * @param commands pairs of absolute path and the Debian package that provides it
     */
    public static void require(String test, String... commands) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < commands.length; i += 2) {
            if (!new File(commands[i]).canExecute() && !new File(commands[i]).isFile()) {
                missing.add(commands[i] + " (Debian package " + commands[i + 1] + ")");
            }
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))
                || !Files.isDirectory(DIR.resolve("node_modules/mqtt"))) {
            missing.add(DIR.resolve("node_modules") + " (npm ci in itests/realclients)");
        }
        if (!missing.isEmpty()) {
            String msg = test + " skipped: missing " + String.join(", ", missing) + "; .ci/run installs them";
            System.err.println(msg);
            Assume.assumeTrue(msg, false);
        }
    }

    /** A started child process, stopped (with its descendants) on close. */
    public static final class Child implements AutoCloseable {
        public final Process process;
        public final Path log;

        Child(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        public String log() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * @param work    where the log goes ({@code <name>.log})
     * @param name    log name
     * @param env     environment additions, {@code KEY=VALUE}
     * @param command the command line
     * @return the running process
     */
    public static Child start(Path work, String name, List<String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        for (String e : env) {
            int eq = e.indexOf('=');
            pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        Path log = work.resolve(name + ".log");
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new Child(pb.start(), log);
    }

    /**
     * Runs a command to its end.
     *
     * @return the exit status
     */
    public static int run(Path work, String name, List<String> env, Duration timeout, String... command)
            throws IOException, InterruptedException {
        try (Child c = start(work, name, env, command)) {
            if (!c.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ": " + c.log());
            }
            return c.process.exitValue();
        }
    }

    /**
     * Runs a driver of {@link #DIR} with node; it prints one JSON line ({@code "ok":true} and its results).
     *
     * @return the JSON line
     */
    public static String node(Path work, String script, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/node", DIR.resolve(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(DIR.toFile());
        Path err = work.resolve(script + ".stderr.log");
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        byte[] out;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(script + " did not end within " + timeout + "; stderr: " + Files.readString(err));
            }
            out = p.getInputStream().readAllBytes();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String line = new String(out, StandardCharsets.UTF_8).trim();
        System.out.println(script + ": " + line);
        if (!line.contains("\"ok\":true")) {
            throw new AssertionError(script + " failed: " + line + "\nstderr:\n" + Files.readString(err));
        }
        return line;
    }

    /** A condition that may throw. */
    public interface Check {
        boolean test() throws Exception;
    }

    /** @return the check as a {@link java.util.function.BooleanSupplier} for {@link Poll}: false when it throws */
    public static java.util.function.BooleanSupplier quietly(Check c) {
        return () -> {
            try {
                return c.test();
            } catch (Exception e) {
                return false;
            }
        };
    }

    /** A free X display number (no lock file, no socket). */
    public static int freeDisplay() {
        for (int n = 90 + (int) (ProcessHandle.current().pid() % 50); n < 400; n++) {
            if (!new File("/tmp/.X" + n + "-lock").exists() && !new File("/tmp/.X11-unix/X" + n).exists()) {
                return n;
            }
        }
        throw new IllegalStateException("no free X display number");
    }
}
