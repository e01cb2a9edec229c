package io.websocksy.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the orchestrator (echo peer, raw relay, websocksy runtime) with its output in a
 * log file, its stdin held open (the bench helpers exit when it closes), its pid recorded for the run
 * script's clean-up trap, and the probes the report needs: CPU time, RSS, live heap.
 */
final class Proc implements AutoCloseable {
    final String name;
    final Process process;
    final Path log;
    final long startedNanos;
    private final Path pidFile;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private Proc(String name, Process process, Path log, long startedNanos, Path pidFile, String readyPrefix) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
        this.pidFile = pidFile;
        Thread pump = new Thread(() -> pump(readyPrefix), name + "-out");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * @param name label (log file name)
     * @param dir run directory (logs/ and pids/ under it)
     * @param command the command line
     * @param env extra environment
     * @param readyPrefix a stdout line starting with this completes {@link #awaitReady}; null for none
     * @return the started process
     * @throws IOException when it cannot be started
     */
    static Proc start(String name, Path dir, List<String> command, Map<String, String> env, String readyPrefix)
            throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path pids = Files.createDirectories(dir.resolve("pids"));
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        Path pidFile = pids.resolve(name + ".pid");
        Files.writeString(pidFile, Long.toString(p.pid()));
        return new Proc(name, p, log, t0, pidFile, readyPrefix);
    }

    /**
     * Starts a bench class in its own JVM with the bench's class path.
     *
     * @param name label
     * @param dir run directory
     * @param jvm JVM flags
     * @param main main class
     * @param args arguments
     * @return the process (awaits its READY line separately)
     * @throws IOException when it cannot be started
     */
    static Proc java(String name, Path dir, List<String> jvm, Class<?> main, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        return start(name, dir, cmd, Map.of(), "READY");
    }

    private void pump(String readyPrefix) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream out = Files.newOutputStream(log);
                PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null;) {
                ps.println(line);
                if (readyPrefix != null && line.startsWith(readyPrefix)) {
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException(name + " exited (code "
                + (process.isAlive() ? "?" : String.valueOf(process.exitValue())) + "), see " + log));
    }

    /**
     * @param timeout bound
     * @return the READY line
     * @throws Exception when the process exited or did not get ready in time
     */
    String awaitReady(Duration timeout) throws Exception {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(name + " not ready within " + timeout + ", see " + log);
        }
    }

    /**
     * Polls a loopback port until it accepts a TCP connection.
     *
     * @param port port
     * @param timeout bound
     * @return nanoseconds from the process start to the first accepted connection
     * @throws IllegalStateException when the process exits or the port does not open in time
     */
    long awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Net.LOOPBACK, port), 200);
                return System.nanoTime() - startedNanos;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + log);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            }
        }
        throw new IllegalStateException(name + ": port " + port + " not accepting within " + timeout + ", see " + log);
    }

    long pid() {
        return process.pid();
    }

    /**
     * @return CPU time of the process and its live descendants (socat forks one child per connection; a
     *     child that has exited is not counted)
     */
    long cpuNanosWithChildren() {
        long own = cpuNanos();
        return own + ProcessHandle.of(process.pid()).map(h -> h.descendants()
                .mapToLong(d -> d.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum()).orElse(0L);
    }

    /** @return CPU time (user + system) of the process in nanoseconds, or 0 when unknown */
    long cpuNanos() {
        return ProcessHandle.of(process.pid()).flatMap(h -> h.info().totalCpuDuration())
                .map(Duration::toNanos).orElse(0L);
    }

    /** @return resident set size in bytes (from /proc), or -1 */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** @return open file descriptors of the process, or -1 */
    long openFds() {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Live heap after a full GC: {@code jcmd <pid> GC.class_histogram} (which collects first), total
     * bytes of the reachable objects.
     *
     * @return bytes, or -1 when jcmd failed
     */
    long liveHeapBytes() {
        List<String> out = jcmd("GC.class_histogram");
        for (int i = out.size() - 1; i >= 0; i--) {
            String l = out.get(i).trim();
            if (l.startsWith("Total")) {
                String[] p = l.split("\\s+");
                return Long.parseLong(p[p.length - 1]);
            }
        }
        return -1;
    }

    /**
     * @param command jcmd command and arguments
     * @return its output lines (empty when it failed)
     */
    List<String> jcmd(String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid()));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] all = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return List.of(new String(all, StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Stops the process: stdin closed and SIGTERM, then SIGKILL after 15 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        process.descendants().forEach(ProcessHandle::destroy); // socat's children, one per connection
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // the run script's trap tolerates stale pid files
        }
    }
}
