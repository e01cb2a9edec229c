package io.websocksy.itests.support;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The assembled distribution's {@code bin/websocksy} run as a separate process, as a user runs it: headless
 * (stdin is /dev/null), output (stdout and stderr) to {@code websocksy.log} in a work directory, a deploy
 * directory of its own and a bundle cache of its own.
 */
public final class Websocksy implements AutoCloseable {
    private final Process process;
    private final Path log;

    private Websocksy(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** @return the distribution's home ({@code runtime/target/websocksy}), checked to hold bin/websocksy */
    public static Path home() {
        Path home = Paths.get(System.getProperty("websocksy.dist", "../runtime/target/websocksy")).toAbsolutePath();
        assertTrue("distribution missing at " + home, Files.isExecutable(home.resolve("bin/websocksy")));
        return home;
    }

    /**
     * Starts {@code bin/websocksy args...}.
     *
     * @param work   work directory (the log goes there)
     * @param deploy the deploy directory to watch ({@code WEBSOCKSY_DEPLOY}); the configuration directory
     *               ({@code WEBSOCKSY_ETC}) is {@code work/etc}, created empty if missing
     * @param opts   extra JVM flags ({@code WEBSOCKSY_OPTS}), e.g. {@code -Dwebsocksy.launch.wait=2}
     * @param args   the command line
     * @return the running process
     */
    public static Websocksy start(Path work, Path deploy, String opts, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(home().resolve("bin/websocksy").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("WEBSOCKSY_DEPLOY", deploy.toString());
        // a configuration directory of its own, empty: not the distribution's etc/ with its listener on 8001
        pb.environment().put("WEBSOCKSY_ETC", Files.createDirectories(work.resolve("etc")).toString());
        pb.environment().put("WEBSOCKSY_OPTS", opts == null ? "" : opts);
        pb.redirectErrorStream(true);
        Path log = work.resolve("websocksy.log");
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new Websocksy(pb.start(), log);
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /** @return the log file */
    public Path logFile() {
        return log;
    }

    /** @return everything the process printed so far */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the lines the launcher printed about bad input or a failed start ({@code websocksy: ...}) */
    public List<String> launcherLines() {
        List<String> out = new ArrayList<>();
        for (String l : log().split("\n")) {
            if (l.startsWith("websocksy: ")) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * @param text    text to wait for in the log
     * @param timeout how long
     */
    public void awaitLog(String text, Duration timeout) {
        Poll.until(timeout, "'" + text + "' in " + log, () -> log().contains(text));
    }

    /**
     * @param timeout how long to wait for the exit
     * @return the exit status
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("websocksy did not exit within " + timeout.toMillis() + " ms; log:\n" + log());
        }
        return process.exitValue();
    }

    /**
     * CPU time the process used so far (utime + stime of /proc/pid/stat, all threads), in clock ticks. The
     * launcher script execs java, so the process is the JVM.
     *
     * @return clock ticks (usually 1/100 s)
     */
    public long cpuTicks() throws IOException {
        String stat = Files.readString(Paths.get("/proc/" + process.pid() + "/stat"));
        // the command name (field 2) is in parentheses and may hold spaces: count from the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
    }

    /**
     * Writes a file into a watched directory atomically (a temp name, then a rename: STACK P10).
     *
     * @param dir     the directory
     * @param name    the file name
     * @param content the content
     */
    public static void writeAtomically(Path dir, String name, String content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
