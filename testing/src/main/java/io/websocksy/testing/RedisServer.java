package io.websocksy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian package {@code redis-server}, installed by .ci/run) on a free loopback port,
 * persistence off, started and stopped by the test (and started again on the same port, to show an
 * outage end); driven with redis-cli. Tests skip when {@link #available()} is false. Shared by the Redis
 * backend's unit tests and the integration tests (testing/ is added to both as test source).
 */
public final class RedisServer implements AutoCloseable {
    public static final Path SERVER = Path.of("/usr/bin/redis-server");
    public static final Path CLI = Path.of("/usr/bin/redis-cli");

    public final int port;
    private Process process;

    public static boolean available() {
        return Files.isExecutable(SERVER) && Files.isExecutable(CLI);
    }

    /** Picks a free loopback port; nothing runs before {@link #start()}. */
    public RedisServer() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
    }

    public RedisServer start() throws Exception {
        process = new ProcessBuilder(SERVER.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!"PONG".equals(quiet("PING"))) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port);
            }
            Thread.sleep(50);
        }
        return this;
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public String cli(String... args) throws Exception {
        String out = quiet(args);
        if (out == null) {
            throw new IllegalStateException("redis-cli " + String.join(" ", args) + " failed");
        }
        return out;
    }

    private String quiet(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CLI.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "--raw"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.startsWith("Could not connect")) {
            return null;
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
