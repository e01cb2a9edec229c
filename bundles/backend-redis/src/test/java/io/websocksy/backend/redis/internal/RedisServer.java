package io.websocksy.backend.redis.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian package) started by the test on a free loopback port, persistence off,
 * driven with redis-cli; the test skips when the package is missing.
 */
final class RedisServer implements AutoCloseable {
    static final Path SERVER = Path.of("/usr/bin/redis-server");
    static final Path CLI = Path.of("/usr/bin/redis-cli");

    final int port;
    private Process process;

    static boolean available() {
        return Files.isExecutable(SERVER) && Files.isExecutable(CLI);
    }

    RedisServer() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
    }

    RedisServer start() throws Exception {
        process = new ProcessBuilder(SERVER.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!"PONG".equals(cliQuiet("PING"))) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port);
            }
            Thread.sleep(50);
        }
        return this;
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    String cli(String... args) throws Exception {
        String out = cliQuiet(args);
        if (out == null) {
            throw new IllegalStateException("redis-cli " + String.join(" ", args) + " failed");
        }
        return out;
    }

    private String cliQuiet(String... args) throws Exception {
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
