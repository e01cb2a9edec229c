package io.websocksy.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.concurrent.Future;
import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramingState;

/**
 * The orchestrator: starts the echo peer, the raw relay and the real websocksy runtime as separate
 * processes, drives every scenario against the three targets (direct to the peer, through the relay,
 * through the bridge) back to back so their ratios come from the same conditions, runs the JMH
 * microbenchmarks, and writes {@code report.md} and {@code report.json}.
 */
public final class Main {
    private static final String USAGE = String.join("\n",
            "usage: bench/run [quick|full] [options]",
            "  quick                 every scenario, short (about 2 minutes)",
            "  full                  the reported run (default; under 10 minutes on 2 cores)",
            "  --only LIST           comma list of throughput,latency,churn,scale,cold,jmh",
            "  --transports LIST     epoll,nio (default both; the first is the one the targets are judged on)",
            "  --scale N             idle bridges to open (default: as many as the fd limit allows, at most 10000)",
            "  --no-jmh              skip the JMH microbenchmarks",
            "  --no-profile          skip the JFR profile pass",
            "  --dist DIR            the assembled runtime (default runtime/target/websocksy)",
            "  --out DIR             where report.md, report.json and run/ go (default bench/target)");

    private final Plan plan;
    private final Path root;
    private final Path out;
    private final Path run;
    private final Path dist;
    private final Results res = new Results();

    private Main(Plan plan, Path root, Path out, Path dist) {
        this.plan = plan;
        this.root = root;
        this.out = out;
        this.run = out.resolve("run");
        this.dist = dist;
    }

    /**
     * @param argv see {@link #USAGE}
     * @throws Exception on a setup failure (a scenario failure is recorded in the report instead)
     */
    public static void main(String[] argv) throws Exception {
        Args a;
        try {
            a = new Args(argv, "no-jmh", "no-profile", "help");
            a.allow("only", "transports", "scale", "no-jmh", "no-profile", "dist", "out", "root", "help");
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        if (a.flag("help")) {
            System.out.println(USAGE);
            return;
        }
        Plan plan;
        try {
            plan = Plan.of(a.positional().isEmpty() ? "full" : a.positional().get(0));
            if (a.positional().size() > 1) {
                throw new IllegalArgumentException("unexpected argument '" + a.positional().get(1) + "'");
            }
            if (a.get("only", null) != null) {
                plan.only = Arrays.asList(a.get("only", "").split(","));
                for (String s : plan.only) {
                    if (!List.of("throughput", "latency", "churn", "scale", "cold", "jmh").contains(s)) {
                        throw new IllegalArgumentException("unknown scenario '" + s + "' in --only");
                    }
                }
            }
            if (a.get("transports", null) != null) {
                plan.transports = new ArrayList<>();
                for (String t : a.get("transports", "").split(",")) {
                    plan.transports.add(Net.Kind.parse(t));
                }
            }
            plan.jmh = !a.flag("no-jmh") && plan.runs("jmh");
            plan.profile = !a.flag("no-profile");
            int fdLimit = fdLimit();
            int byFds = Math.max(100, (fdLimit - 1000) / 2);
            int wanted = a.integer("scale", plan.scaleConnections);
            plan.scaleConnections = Math.min(wanted, byFds);
            if (plan.scaleConnections < wanted) {
                System.err.printf("bench: open-files limit %d allows %d idle bridges (two fds each), not %d%n",
                        fdLimit, plan.scaleConnections, wanted);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        Path root = Path.of(a.get("root", ".")).toAbsolutePath().normalize();
        Path out = Path.of(a.get("out", root.resolve("bench/target").toString())).toAbsolutePath();
        Path dist = Path.of(a.get("dist", root.resolve("runtime/target/websocksy").toString())).toAbsolutePath();
        new Main(plan, root, out, dist).execute();
    }

    static int fdLimit() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (l.startsWith("Max open files")) {
                    return Integer.parseInt(l.substring(26).trim().split("\\s+")[0]);
                }
            }
        } catch (Exception e) {
            // fall through
        }
        return 4096;
    }

    private void execute() throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        BridgeRuntime.deleteTree(run);
        Files.createDirectories(run);
        environment();
        log("mode %s, transports %s, scale %d, results in %s", plan.mode, plan.transports, plan.scaleConnections, out);

        int peerEcho = Net.freePort();
        int peerSource = Net.freePort();
        int peerScaleBridge = Net.freePort();
        int peerScaleRelay = Net.freePort();
        BridgeRuntime.Ports ports = new BridgeRuntime.Ports(Net.freePort(), Net.freePort(), Net.freePort(),
                peerEcho, peerSource, peerScaleBridge, Net.freePort(), Net.freePort());
        int relayEcho = Net.freePort();
        int relayDown = Net.freePort();
        int relayScale = Net.freePort();
        List<String> helperJvm = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC");

        boolean needRuntime = plan.runs("throughput") || plan.runs("latency") || plan.runs("churn")
                || plan.runs("scale") || plan.runs("cold");
        BridgeRuntime rt = needRuntime ? BridgeRuntime.install(dist, run) : null;
        // wss:// targets (issue 9): a self-signed certificate for this run, trusted by the load generator only
        BenchTls tls = plan.runs("throughput") || plan.runs("latency") || plan.runs("churn")
                ? BenchTls.create(run.resolve("tls")) : null;
        if (tls != null) {
            res.tls.put("certificate", "self-signed EC P-256 (SHA256withECDSA) for " + Net.LOOPBACK + ", made by keytool: "
                    + out.relativize(tls.certificatePem) + ", " + out.relativize(tls.keyPem) + " (PKCS#8)");
            res.tls.put("client", tls.clientProvider + "; " + BenchTls.PROTOCOL + " only, " + BenchTls.CIPHER
                    + " first; no session resumption (a full handshake per connection)");
        }
        try (Proc peer = Proc.java("echo-peer", run, helperJvm, EchoPeer.class, List.of("--transport", "epoll",
                "--echo", peerEcho + "," + peerScaleBridge + "," + peerScaleRelay, "--source",
                Integer.toString(peerSource)));
                Client client = new Client(Net.Kind.EPOLL, 2)) {
            peer.awaitReady(Duration.ofSeconds(30));
            if (tls != null) {
                client.tls(tls.client);
            }
            for (int ti = 0; needRuntime && ti < plan.transports.size(); ti++) {
                Net.Kind kind = plan.transports.get(ti);
                boolean primary = ti == 0;
                Path deploy = run.resolve("deploy-" + kind.id());
                Map<String, String> files = BridgeRuntime.writeDeploy(deploy, kind, ports);
                if (primary) {
                    res.deployFiles.putAll(files);
                }
                // started one after the other, so neither start competes with the other for the CPU
                try (Proc bridge = rt.start("websocksy-" + kind.id(), run, deploy, List.of())) {
                    res.coldBridgeMs.add(bridge.awaitPort(ports.wsEcho(), Duration.ofSeconds(60)) / 1e6);
                    try (Proc relay = Proc.java("relay-" + kind.id(), run, helperJvm, RawRelay.class, List.of(
                            "--transport", kind.id(), "--map", relayEcho + ":" + peerEcho + "," + relayDown + ":"
                                    + peerSource + "," + relayScale + ":" + peerScaleRelay))) {
                        res.coldRelayMs.add(relay.awaitPort(relayEcho, Duration.ofSeconds(30)) / 1e6);
                        relay.awaitReady(Duration.ofSeconds(30));
                        if (tls != null) {
                            // added once the plain listeners are up: the start-up figures stay those without TLS
                            Map<String, String> tlsFiles = BridgeRuntime.writeTlsListeners(deploy, ports, tls);
                            if (primary) {
                                res.deployFiles.putAll(tlsFiles);
                            }
                        }
                        phase(client, kind, primary, peer, relay, bridge, ports, relayEcho, relayDown, relayScale,
                                tls != null);
                    }
                }
            }
            if (plan.runs("cold")) {
                coldStarts(rt, ports, relayEcho, peerEcho);
            }
        }
        if (plan.jmh) {
            jmh();
        }
        res.wallSeconds = (System.nanoTime() - t0) / 1e9;
        Report report = new Report(plan, res);
        Files.writeString(out.resolve("report.md"), report.markdown() + changeLog());
        Files.writeString(out.resolve("report.json"), Json.write(report.json()));
        log("done in %.0f s: %s and %s", res.wallSeconds, out.resolve("report.md"), out.resolve("report.json"));
    }

    // ------------------------------------------------------------------------------- scenarios

    /** One transport's measurements; every target is measured back to back, case by case. */
    private void phase(Client client, Net.Kind kind, boolean primary, Proc peer, Proc relay, Proc bridge,
            BridgeRuntime.Ports ports, int relayEcho, int relayDown, int relayScale, boolean tls) throws Exception {
        Target direct = new Target("direct", false, ports.peerEcho());
        Target directDown = new Target("direct", false, ports.peerSource());
        Target relayT = new Target("relay", false, relayEcho);
        Target relayDownT = new Target("relay", false, relayDown);
        Target bridgeT = new Target("bridge", true, ports.wsEcho());
        Target bridgeDownT = new Target("bridge", true, ports.wsDown());
        awaitEcho(client, bridgeT, Duration.ofSeconds(60));
        awaitEcho(client, relayT, Duration.ofSeconds(30));
        log("%s: websocksy listening %.0f ms after start, relay %.0f ms", kind.id(),
                res.coldBridgeMs.get(res.coldBridgeMs.size() - 1),
                res.coldRelayMs.get(res.coldRelayMs.size() - 1));
        List<Target> wss = tls ? wssTargets(client, kind, bridge, ports) : List.of();
        Map<String, Proc> server = new java.util.HashMap<>(Map.of("direct", peer, "relay", relay, "bridge", bridge,
                BridgeRuntime.WSS_JDK, bridge, BridgeRuntime.WSS_OPENSSL, bridge));
        // socat (issue 18): the tool users compare with, a third baseline next to direct and the relay
        Proc[] socat = startSocat(kind, ports);
        List<Target> socatEcho = socat == null ? List.of() : List.of(new Target(SOCAT, false, socatEchoPort));
        List<Target> socatDown = socat == null ? List.of() : List.of(new Target(SOCAT, false, socatDownPort));
        if (socat != null) {
            server.put(SOCAT, socat[0]);
            server.put(SOCAT + "-down", socat[1]);
            wss = plus(socatEcho, wss);
        }
        try {
            measure(client, kind, primary, peer, relay, bridge, ports, relayScale, direct, directDown, relayT, relayDownT,
                    bridgeT, bridgeDownT, wss, socatDown, server);
        } finally {
            if (socat != null) {
                socat[0].close();
                socat[1].close();
            }
        }
    }

    static final String SOCAT = "socat";
    private int socatEchoPort;
    private int socatDownPort;

    /**
     * Starts socat as a plain TCP relay to the echo peer and to the source peer (one process each, forking a
     * child per connection); null (and a note in the report) when it is not installed.
     */
    private Proc[] startSocat(Net.Kind kind, BridgeRuntime.Ports ports) {
        if (!new java.io.File("/usr/bin/socat").canExecute()) {
            problem("socat baseline", new IllegalStateException("/usr/bin/socat is absent (bench/run installs Debian's"
                    + " socat when it runs as root); measured without it"));
            return null;
        }
        Proc echo = null;
        try {
            socatEchoPort = Net.freePort();
            socatDownPort = Net.freePort();
            echo = Proc.start("socat-echo-" + kind.id(), run, socatCommand(socatEchoPort, ports.peerEcho()), Map.of(), null);
            echo.awaitPort(socatEchoPort, Duration.ofSeconds(30));
            Proc down = Proc.start("socat-down-" + kind.id(), run, socatCommand(socatDownPort, ports.peerSource()), Map.of(),
                    null);
            down.awaitPort(socatDownPort, Duration.ofSeconds(30));
            return new Proc[] {echo, down};
        } catch (Exception e) {
            if (echo != null) {
                echo.close();
            }
            problem("socat baseline", e);
            return null;
        }
    }

    private static List<String> socatCommand(int listen, int target) {
        return List.of("/usr/bin/socat", "TCP-LISTEN:" + listen + ",bind=" + Net.LOOPBACK + ",reuseaddr,fork,backlog=1024,nodelay",
                "TCP:" + Net.LOOPBACK + ":" + target + ",nodelay");
    }

    private void measure(Client client, Net.Kind kind, boolean primary, Proc peer, Proc relay, Proc bridge,
            BridgeRuntime.Ports ports, int relayScale, Target direct, Target directDown, Target relayT, Target relayDownT,
            Target bridgeT, Target bridgeDownT, List<Target> wss, List<Target> socatDown, Map<String, Proc> server)
            throws Exception {
        if (plan.runs("throughput")) {
            for (int conns : new int[] {1, 16, 64}) {
                for (boolean echo : new boolean[] {false, true}) {
                    if (conns == 16 && !echo) {
                        continue; // issue 18's "64 KiB x 16 connections echo" case; one way stays at 1 and 64
                    }
                    throughput(client, kind, conns, echo, echo ? plus(List.of(direct, relayT, bridgeT), wss)
                            : plus(List.of(directDown, relayDownT, bridgeDownT), socatDown), server);
                }
            }
        }
        if (primary && plan.runs("throughput")) {
            deflateEcho(client, kind, bridge, bridgeT);
        }
        if (plan.runs("latency")) {
            latency(client, kind, plus(List.of(direct, relayT, bridgeT), wss));
        }
        if (plan.runs("churn")) {
            churn(client, kind, plus(List.of(direct, relayT, bridgeT), wss));
        }
        if (primary && plan.runs("scale")) {
            scale(client, new Target("bridge", true, ports.wsScale()), bridge);
            scale(client, new Target("relay", false, relayScale), relay);
            scaleCompressed(client, kind, bridge, bridgeT);
        }
        if (primary && plan.profile && (plan.runs("throughput") || plan.runs("latency") || plan.runs("churn"))) {
            profile(client, bridge, bridgeT);
        }
    }

    /**
     * The wss targets that echo (each waited for in turn; one that does not, e.g. {@code wss-openssl} without
     * netty-tcnative in the runtime, is a problem in the report and left out), with the runtime's log lines
     * naming each TLS listener's provider and the protocol and cipher suite the client negotiated.
     */
    private List<Target> wssTargets(Client client, Net.Kind kind, Proc bridge, BridgeRuntime.Ports ports) {
        List<Target> ok = new ArrayList<>();
        for (Target t : List.of(new Target(BridgeRuntime.WSS_JDK, true, ports.wssJdk(), true),
                new Target(BridgeRuntime.WSS_OPENSSL, true, ports.wssOpenssl(), true))) {
            try {
                String session = awaitEcho(client, t, Duration.ofSeconds(30));
                res.tls.put(t.name() + " negotiated (" + kind.id() + ")", session);
                ok.add(t);
            } catch (Exception e) {
                problem("wss target " + t.name() + " (" + kind.id() + ")", e);
            }
        }
        try {
            for (String l : Files.readAllLines(bridge.log, StandardCharsets.UTF_8)) {
                int at = l.indexOf("listener wss-");
                int nt = l.indexOf("listener not started: tls-");
                if (at >= 0 && l.contains(": TLS with ")) {
                    res.tls.put("runtime log (" + kind.id() + ") " + l.substring(at, l.indexOf(':', at)), l.substring(at));
                } else if (nt >= 0) {
                    res.tls.put("runtime log (" + kind.id() + ") error", l.substring(nt));
                }
            }
        } catch (Exception e) {
            problem("reading " + bridge.log, e);
        }
        // Not recorded: lets the JIT compile each provider's TLS path (the JDK's is Java code: AES-GCM and the
        // EC arithmetic are slow until C2 has compiled them) before the first measured case, as the ws path
        // has been by the time it is measured.
        for (Target t : ok) {
            try {
                Scenarios.throughput(client, t, 8, true, 0, 2 * plan.tpWarmupMs, Long.MAX_VALUE, () -> 0L);
                Scenarios.churn(client, t, plan.churnConcurrency, 200, plan.tpWarmupMs * 2);
            } catch (Exception e) {
                problem("wss warm-up " + t.name() + " (" + kind.id() + ")", e);
            }
        }
        log("%s: wss targets %s (warmed up)", kind.id(), ok.stream().map(Target::name).toList());
        return ok;
    }

    private static List<Target> plus(List<Target> a, List<Target> b) {
        List<Target> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private void throughput(Client client, Net.Kind kind, int conns, boolean echo, List<Target> targets,
            Map<String, Proc> server) {
        Map<String, Scenarios.Throughput> m = new LinkedHashMap<>();
        for (Target t : targets) {
            try {
                Proc p = server.get(t.name().equals(SOCAT) && !echo ? SOCAT + "-down" : t.name());
                Scenarios.Throughput r = Scenarios.throughput(client, t, conns, echo, plan.tpWarmupMs,
                        plan.tpMeasureMs, plan.tpMaxBytes, t.name().equals(SOCAT) ? p::cpuNanosWithChildren : p::cpuNanos);
                m.put(t.name(), r);
                log("%s throughput %s %d conn %-6s %8.1f MiB/s  cpu %.2f", kind.id(), echo ? "echo" : "down", conns,
                        t.name(), r.mibPerSec(), r.serverCpu());
            } catch (Exception e) {
                problem("throughput " + kind.id() + " " + conns + " conn " + t.name(), e);
            }
            settle();
        }
        res.throughput.add(new Results.TpCase(kind, conns, echo, m));
    }

    /** Each connection sends {@code message} once and waits for its echo (at most 60 s for all). */
    private static void echoOnce(List<Client.Conn> conns, io.netty.buffer.ByteBuf message) throws InterruptedException {
        int size = message.readableBytes();
        java.util.concurrent.CountDownLatch echoed = new java.util.concurrent.CountDownLatch(conns.size());
        for (Client.Conn c : conns) {
            long before = c.received;
            c.receiver = (conn, bytes) -> { // the handler has added bytes to conn.received already
                if (conn.received - before >= size && conn.received - bytes - before < size) {
                    echoed.countDown();
                }
            };
            c.ch.eventLoop().execute(() -> {
                c.write(message.retainedDuplicate());
                c.ch.flush();
            });
        }
        if (!echoed.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(echoed.getCount() + " of " + conns.size() + " connections got no echo");
        }
    }

    /** The permessage-deflate listener (added once, by the compressed text echo or here). */
    private Target deflateTarget(Client client, Net.Kind kind) throws Exception {
        if (deflatePort == 0) {
            int port = Net.freePort();
            res.deployFiles.putAll(BridgeRuntime.writeDeflateListener(run.resolve("deploy-" + kind.id()), port));
            Target z = new Target(BridgeRuntime.DEFLATE, true, port, false, true);
            awaitEcho(client, z, Duration.ofSeconds(60));
            deflatePort = port;
        }
        return new Target(BridgeRuntime.DEFLATE, true, deflatePort, false, true);
    }

    private int deflatePort;

    /**
     * Compressed text echo (issue 18): 64 KiB messages of JSON text, echoed through the bridge with and without
     * permessage-deflate; bytes on the wire against payload, and the runtime's CPU per MiB.
     */
    private void deflateEcho(Client client, Net.Kind kind, Proc bridge, Target plain) {
        try {
            Target z = deflateTarget(client, kind);
            io.netty.buffer.ByteBuf text = textMessage();
            for (int conns : new int[] {1, 16}) {
                for (Target t : List.of(new Target(plain.name(), true, plain.port(), false, true), z)) {
                    long w0 = Client.WIRE_IN.sum();
                    long p0 = Client.PAYLOAD_IN.sum();
                    Scenarios.Throughput r = Scenarios.throughput(client, t, conns, true, plan.tpWarmupMs, plan.tpMeasureMs,
                            plan.tpMaxBytes, bridge::cpuNanos, text.retainedDuplicate());
                    long wire = Client.WIRE_IN.sum() - w0;
                    long payload = Client.PAYLOAD_IN.sum() - p0;
                    res.deflate.add(new Results.DeflateRow(kind, conns, t.name(), r, wire, payload));
                    log("%s text echo %d conn %-14s %8.1f MiB/s  cpu %.2f  wire/payload %.3f", kind.id(), conns, t.name(),
                            r.mibPerSec(), r.serverCpu(), payload == 0 ? Double.NaN : (double) wire / payload);
                    settle();
                }
            }
            text.release();
        } catch (Exception e) {
            problem("compressed text echo (" + kind.id() + ")", e);
        }
    }

    /** One 64 KiB message of JSON text (the json framer's bench input, padded with newlines). */
    private static io.netty.buffer.ByteBuf textMessage() {
        byte[] json = FramerInputs.input("json");
        byte[] m = java.util.Arrays.copyOf(json, Scenarios.BIG);
        java.util.Arrays.fill(m, Math.min(json.length, m.length), m.length, (byte) '\n');
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.directBuffer(m.length, m.length);
        b.writeBytes(m);
        return b;
    }

    private void latency(Client client, Net.Kind kind, List<Target> targets) {
        Map<String, Scenarios.Latency> m = new LinkedHashMap<>();
        for (Target t : targets) {
            try {
                Scenarios.Latency l = Scenarios.latency(client, t, plan.latencyRate, plan.latencyWarmupMs,
                        plan.latencyMeasureMs);
                m.put(t.name(), l);
                log("%s latency %-6s p50 %.0f us p99 %.0f us p99.9 %.0f us lost %d", kind.id(), t.name(),
                        l.micros(50), l.micros(99), l.micros(99.9), l.lost());
            } catch (Exception e) {
                problem("latency " + kind.id() + " " + t.name(), e);
            }
            settle();
        }
        res.latency.add(new Results.LatCase(kind, m));
    }

    private void churn(Client client, Net.Kind kind, List<Target> targets) {
        Map<String, Scenarios.Churn> m = new LinkedHashMap<>();
        for (Target t : targets) {
            try {
                Scenarios.Churn c = Scenarios.churn(client, t, plan.churnConcurrency, plan.churnMaxCycles,
                        plan.churnMaxMs);
                m.put(t.name(), c);
                log("%s churn %-6s %.0f/s (%d done, %d failed)", kind.id(), t.name(), c.perSecond(), c.completed(),
                        c.failed());
            } catch (Exception e) {
                problem("churn " + kind.id() + " " + t.name(), e);
            }
            settle();
        }
        res.churn.add(new Results.ChurnCase(kind, m));
    }

    private void scale(Client client, Target t, Proc server) {
        scale(client, t, server, plan.scaleConnections, t.name(), null);
    }

    /**
     * Per-connection memory with permessage-deflate (issue 18): {@value #COMPRESSED_SCALE} connections (at most
     * the scale figure), each having echoed one 4 KiB message of JSON text, so that the bridge holds what a used
     * connection keeps: with {@code compression = on} a compressor (context takeover) and a decompressor each.
     * The same client (it offers permessage-deflate) against the plain listener, which declines, gives the
     * baseline; the difference is what compression costs per connection.
     */
    private void scaleCompressed(Client client, Net.Kind kind, Proc bridge, Target plain) {
        int n = Math.min(COMPRESSED_SCALE, plan.scaleConnections);
        io.netty.buffer.ByteBuf text = textMessage();
        io.netty.buffer.ByteBuf message = text.retainedSlice(0, 4096);
        text.release();
        try {
            Target z = deflateTarget(client, kind);
            scale(client, new Target(plain.name(), true, plain.port(), false, true), bridge, n,
                    "bridge, one 4 KiB message each (deflate declined)", message);
            scale(client, z, bridge, n, "bridge-deflate, one 4 KiB message each (compression = on)", message);
        } catch (Exception e) {
            problem("scale with compression (" + kind.id() + ")", e);
        } finally {
            message.release();
        }
    }

    static final int COMPRESSED_SCALE = 2000;

    /**
     * @param n       connections to open
     * @param label   the report's row name
     * @param message when not null, each connection echoes one copy of it before the measure (and the canary)
     */
    private void scale(Client client, Target t, Proc server, int n, String label, io.netty.buffer.ByteBuf message) {
        List<Client.Conn> conns = List.of();
        try {
            Scenarios.Latency idle = Scenarios.latency(client, t, plan.canaryRate, 1000, plan.canaryMs);
            long heap0 = server.liveHeapBytes();
            long rss0 = server.rssBytes();
            AtomicInteger failed = new AtomicInteger();
            long o0 = System.nanoTime();
            conns = Scenarios.openIdle(client, t, n, 128, 180_000, failed);
            double openSecs = (System.nanoTime() - o0) / 1e9;
            log("scale %s: %d of %d open (%d failed) in %.1f s", label, conns.size(), n, failed.get(), openSecs);
            if (message != null) {
                echoOnce(conns, message);
            }
            Thread.sleep(2000);
            long heap1 = server.liveHeapBytes();
            long rss1 = server.rssBytes();
            long fds1 = server.openFds();
            Scenarios.Latency loaded = Scenarios.latency(client, t, plan.canaryRate, 1000, plan.canaryMs);
            int held = (int) conns.stream().filter(c -> c.ch.isActive()).count();
            Results.Scale s = new Results.Scale(label, n, conns.size(), failed.get(), held, heap0, heap1, rss0,
                    rss1, fds1, idle, loaded, openSecs);
            res.scale.add(s);
            log("scale %s: held %d, heap %.1f KiB/conn, RSS %.1f KiB/conn, canary p99 %.0f us (idle: %.0f us)",
                    label, held, s.heapPerConn() / 1024, s.rssPerConn() / 1024, loaded.micros(99), idle.micros(99));
        } catch (Exception e) {
            problem("scale " + label, e);
        } finally {
            for (Client.Conn c : conns) {
                c.ch.close();
            }
            for (Client.Conn c : conns) {
                c.ch.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
            sleep(3000);
        }
    }

    private void profile(Client client, Proc bridge, Target bridgeT) {
        Path dir = run.resolve("jfr");
        try {
            Files.createDirectories(dir);
            Path tp = dir.resolve("throughput-echo-64.jfr");
            bridge.jcmd("JFR.start", "name=tp", "settings=profile");
            Scenarios.throughput(client, bridgeT, 64, true, 500, plan.profileMs, Long.MAX_VALUE, bridge::cpuNanos);
            bridge.jcmd("JFR.stop", "name=tp", "filename=" + tp);
            Path lat = dir.resolve("latency.jfr");
            bridge.jcmd("JFR.start", "name=lat", "settings=profile");
            Scenarios.latency(client, bridgeT, plan.latencyRate, 500, plan.profileMs);
            bridge.jcmd("JFR.stop", "name=lat", "filename=" + lat);
            // churn (issue 18: connect, upgrade, one round trip, close per cycle) when that scenario runs
            Path churn = dir.resolve("churn.jfr");
            if (plan.runs("churn")) {
                bridge.jcmd("JFR.start", "name=churn", "settings=profile");
                Scenarios.churn(client, bridgeT, plan.churnConcurrency, Integer.MAX_VALUE, plan.profileMs);
                bridge.jcmd("JFR.stop", "name=churn", "filename=" + churn);
                if (Files.exists(churn)) {
                    res.profiles.put("churn, " + plan.churnConcurrency + " in flight (" + out.relativize(churn) + ")",
                            JfrSummary.read(churn, 15));
                }
            }
            if (Files.exists(tp)) {
                res.profiles.put("throughput, echo, 64 connections (" + out.relativize(tp) + ")",
                        JfrSummary.read(tp, 15));
            } else {
                problem("profile", new IllegalStateException("no recording at " + tp));
            }
            if (Files.exists(lat)) {
                res.profiles.put("latency, " + plan.latencyRate + " msg/s (" + out.relativize(lat) + ")",
                        JfrSummary.read(lat, 15));
            }
            log("profiles written to %s", dir);
        } catch (Exception e) {
            problem("profile", e);
        }
    }

    private void coldStarts(BridgeRuntime rt, BridgeRuntime.Ports ports, int relayPort, int peerEcho) throws Exception {
        Path deploy = run.resolve("deploy-cold");
        BridgeRuntime.writeDeploy(deploy, plan.transports.get(0), ports);
        int more = Math.max(0, plan.coldRuns - res.coldBridgeMs.size());
        for (int i = 0; i < more; i++) {
            try (Proc b = rt.start("websocksy-cold-" + i, run, deploy, List.of())) {
                res.coldBridgeMs.add(b.awaitPort(ports.wsEcho(), Duration.ofSeconds(60)) / 1e6);
            } catch (Exception e) {
                problem("cold start " + i, e);
            }
            try (Proc r = Proc.java("relay-cold-" + i, run, List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC"),
                    RawRelay.class, List.of("--transport", plan.transports.get(0).id(), "--map",
                            relayPort + ":" + peerEcho))) {
                res.coldRelayMs.add(r.awaitPort(relayPort, Duration.ofSeconds(30)) / 1e6);
            } catch (Exception e) {
                problem("relay cold start " + i, e);
            }
        }
        log("cold start: websocksy %s ms, relay %s ms", res.coldBridgeMs, res.coldRelayMs);
    }

    private void jmh() {
        try {
            log("JMH: framers %s and the handshake path (log: %s)", FramerCatalog.names(), run.resolve("jmh.log"));
            res.jmh.addAll(JmhSuite.run(plan.mode.equals("quick"), run.resolve("jmh.log")));
            for (String name : FramerCatalog.names()) {
                res.framerMessagesPerOp.put(name, (double) messagesPerChunk(name));
            }
        } catch (Exception e) {
            problem("jmh", e);
        }
    }

    static int messagesPerChunk(String name) throws Exception {
        FramingState s = FramerCatalog.discover().get(name).create().open(FramerInputs.config(name));
        ByteBuffer b = ByteBuffer.wrap(FramerInputs.input(name)).asReadOnlyBuffer();
        int pos = 0;
        int n = 0;
        for (Decision d; (d = s.next(b.limit(b.capacity()).position(pos))).kind() != Decision.Kind.NEED_MORE;) {
            pos += d.length();
            n++;
        }
        if (pos != b.capacity()) {
            throw new IllegalStateException("framer '" + name + "' left " + (b.capacity() - pos) + " of "
                    + b.capacity() + " bench input bytes unconsumed");
        }
        return n;
    }

    // ------------------------------------------------------------------------------- helpers

    /**
     * Waits until one echo round trip through the target works (the bridge may answer 503 at first).
     *
     * @return the negotiated TLS protocol and cipher suite of a wss target, else null
     */
    private static String awaitEcho(Client client, Target t, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            CompletableFuture<Void> back = new CompletableFuture<>();
            Future<Client.Conn> f = client.connect(t, (c, n) -> {
                if (c.received >= Scenarios.SMALL) {
                    back.complete(null);
                }
            }).await();
            if (f.isSuccess()) {
                Client.Conn c = f.getNow();
                c.write(c.ch.alloc().buffer().writeBytes(new byte[Scenarios.SMALL]));
                c.flush();
                try {
                    back.get(5, TimeUnit.SECONDS);
                    String session = c.tlsSession();
                    c.close(2).await(5, TimeUnit.SECONDS);
                    return session;
                } catch (Exception e) {
                    last = e;
                    c.ch.close();
                }
            } else {
                last = f.cause();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(t.name() + " " + t.uri() + " does not echo within " + timeout + ": " + last);
    }

    private void problem(String what, Exception e) {
        String msg = what + ": " + e;
        res.problems.add(msg);
        System.err.println("bench: FAILED " + msg);
    }

    /** Lets sockets, GC and the other processes calm down between measurements. */
    private static void settle() {
        sleep(500);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String fmt, Object... args) {
        System.out.printf("[bench %s] %s%n", OffsetDateTime.now().toLocalTime().withNano(0), String.format(fmt, args));
    }

    private void environment() {
        Map<String, Object> e = res.environment;
        e.put("date", OffsetDateTime.now().withNano(0).toString());
        e.put("mode", plan.mode);
        e.put("cores", Runtime.getRuntime().availableProcessors());
        e.put("cpu", firstLine("/proc/cpuinfo", "model name").replaceFirst("model name\\s*:\\s*", ""));
        e.put("kernel", firstLine("/proc/sys/kernel/osrelease", ""));
        e.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        e.put("openFilesLimit", fdLimit());
        e.put("loadAverageAtStart", firstLine("/proc/loadavg", ""));
        e.put("commit", git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain").isBlank() ? ""
                : " (with uncommitted changes)"));
        e.put("transports", plan.transports.stream().map(Net.Kind::id).toList());
        e.put("scaleConnections", plan.scaleConnections);
    }

    private static String firstLine(String file, String prefix) {
        try {
            for (String l : Files.readAllLines(Path.of(file))) {
                if (l.startsWith(prefix)) {
                    return l.trim();
                }
            }
        } catch (Exception ignored) {
            // not Linux, or not readable
        }
        return "?";
    }

    private String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", root.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? s : "?";
        } catch (Exception ex) {
            return "?";
        }
    }

    /**
     * The performance changes made guided by this suite and what each bought (bench/changes.md, kept by
     * hand with the before/after ratios of the runs that measured them), appended to the report.
     */
    private String changeLog() throws IOException {
        Path f = root.resolve("bench/changes.md");
        if (!Files.isRegularFile(f)) {
            return "";
        }
        return "\n## What each change bought\n\n(from `bench/changes.md`, measured with this suite when the change was "
                + "made)\n\n" + Files.readString(f);
    }
}
