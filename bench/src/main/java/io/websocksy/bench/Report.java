package io.websocksy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders {@link Results} as the Markdown report (ratios against the baselines, targets) and as JSON. */
final class Report {
    private static final double MIB = 1 << 20;
    /** Size of one {@code io.websocksy.api.framer.Decision} on a 64-bit JVM with compressed oops. */
    static final double DECISION_BYTES = 24;
    private final Plan plan;
    private final Results r;
    private final List<String[]> targets = new ArrayList<>();

    Report(Plan plan, Results r) {
        this.plan = plan;
        this.r = r;
        evaluateTargets();
    }

    // ------------------------------------------------------------------------------- targets

    private Net.Kind primary() {
        return plan.transports.isEmpty() ? Net.Kind.EPOLL : plan.transports.get(0);
    }

    private void target(String what, String measured, String goal, Boolean met) {
        targets.add(new String[] {what, measured, goal, met == null ? "not measured" : met ? "met" : "**MISSED**"});
    }

    private void evaluateTargets() {
        for (Results.TpCase c : r.throughput) {
            if (c.transport() != primary()) {
                continue;
            }
            Double q = ratio(tp(c, "bridge"), tp(c, "relay"));
            target("throughput " + c.label() + ", bridge / relay", x(q), "≥ 0.80×", q == null ? null : q >= 0.8);
        }
        for (Results.TpCase c : r.throughput) {
            if (c.transport() == primary() && c.echo() && tp(c, "socat") != null) {
                Double q = ratio(tp(c, "bridge"), tp(c, "socat"));
                target("throughput " + c.label() + ", bridge / socat", x(q), "≥ 1.10×", q == null ? null : q >= 1.1);
            }
        }
        for (Results.ChurnCase c : r.churn) {
            Scenarios.Churn b = c.byTarget().get("bridge");
            Scenarios.Churn so = c.byTarget().get("socat");
            if (c.transport() == primary() && b != null && so != null) {
                double q = b.perSecond() / so.perSecond();
                target("churn, bridge / socat", x(q), "≥ 1.50×", q >= 1.5);
            }
        }
        for (Results.LatCase c : r.latency) {
            if (c.transport() != primary()) {
                continue;
            }
            Scenarios.Latency b = c.byTarget().get("bridge");
            Scenarios.Latency rl = c.byTarget().get("relay");
            Double p50 = b == null || rl == null ? null : b.micros(50) / rl.micros(50);
            Double p99 = b == null || rl == null ? null : b.micros(99) / rl.micros(99);
            target("round trip p50, bridge / relay", x(p50), "≤ 1.20×", p50 == null ? null : p50 <= 1.2);
            target("round trip p99, bridge / relay", x(p99), "≤ 1.50×", p99 == null ? null : p99 <= 1.5);
        }
        for (Results.Scale s : r.scale) {
            if (!s.target().equals("bridge")) {
                continue;
            }
            target("idle bridges held", s.held() + " of " + s.requested(), "all (" + s.requested()
                    + ", fd limit)", s.held() == s.requested());
            double p99ms = s.canaryLoaded().micros(99) / 1000;
            target("canary p99 with " + s.held() + " idle bridges", f(p99ms, 2) + " ms", "< 50 ms", p99ms < 50);
            target("heap per idle bridge", f(s.heapPerConn() / 1024, 2) + " KiB", "≤ 16 KiB",
                    s.heapPerConn() <= 16 * 1024);
            target("RSS per idle bridge", f(s.rssPerConn() / 1024, 2) + " KiB", "≤ 12 KiB", // issue 18
                    s.rssPerConn() <= 12 * 1024);
        }
        if (!r.coldBridgeMs.isEmpty()) {
            double med = median(r.coldBridgeMs);
            target("cold start to listening (median of " + r.coldBridgeMs.size() + ")", f(med, 0) + " ms", "≤ 1500 ms",
                    med <= 1500);
        }
        for (JmhSuite.Figure fig : r.jmh) {
            if (fig.param() == null) {
                continue;
            }
            double goal = switch (fig.param()) {
                case "binary", "auto", "newline" -> 1e9; // issue 18: auto and newline 1 GB/s, json 400 MB/s
                case "separator" -> 5e8;
                case "json" -> 4e8;
                default -> -1;
            };
            if (goal > 0) {
                target("framer " + fig.param() + " on 64 KiB chunks", f(fig.bytesPerSec() / 1e6, 0) + " MB/s",
                        "≥ " + f(goal / 1e6, 0) + " MB/s", fig.bytesPerSec() >= goal);
            }
            // The API makes every emit allocate one Decision (DECISION_BYTES); what scales with the bytes is the rest.
            Double msgs = r.framerMessagesPerOp.get(fig.param());
            Double perByte = msgs == null || Double.isNaN(fig.allocBytesPerOp()) ? null
                    : Math.max(0, fig.allocBytesPerOp() - DECISION_BYTES * msgs) / fig.bytesPerOp();
            target("framer " + fig.param() + " allocation per input byte, beyond one Decision per message",
                    f(perByte, 4) + " B/B (" + f(msgs == null || msgs == 0 ? null : fig.allocBytesPerOp() / msgs, 1)
                            + " B per message)", "0 (< 0.001 B/B)", perByte == null ? null : perByte < 0.001);
        }
    }

    // ------------------------------------------------------------------------------- markdown

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# websocksy benchmark report\n\n");
        md.append("Generated by `bench/run ").append(plan.mode).append("` in ").append(f(r.wallSeconds, 0))
                .append(" s. Environment:\n\n");
        r.environment.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\n## How to read this\n\n");
        md.append("Every scenario runs against these targets back to back, in this order, in the same run:\n\n")
                .append("- **direct**: the load generator talks TCP straight to the echo/source peer (the floor);\n")
                .append("- **relay**: through a minimal Netty read/write-through TCP proxy (`RawRelay`, built like ")
                .append("the bridge but with no WebSocket layer and no framer);\n")
                .append("- **socat**: through Debian's `socat` as a plain TCP relay (`TCP-LISTEN:…,fork` to the peer, ")
                .append("one forked process per connection; its CPU counts the live children), the tool users compare with;\n")
                .append("- **bridge**: through the real websocksy runtime (`bin/websocksy`, `binary` framer), as a ")
                .append("masked WebSocket client;\n")
                .append("- **wss-jdk**, **wss-openssl**: the same runtime and backend over `wss://`, one listener per ")
                .append("TLS provider (echo throughput, latency and churn; section \"TLS\" compares them with the ")
                .append("ws bridge and the relay).\n\n")
                .append("The ratios (bridge / relay) are what the targets judge; absolute figures depend on the ")
                .append("machine and on whatever else runs on it. Client, peer, relay and runtime are separate ")
                .append("processes sharing the same cores, so CPU used by one is missing for the others; the ")
                .append("*server CPU* columns (CPU-seconds per second of the process in the middle) show the ")
                .append("cost per byte independently of that. Targets are judged on the first transport (")
                .append(primary().id()).append(", the default).\n\n");
        md.append("## Targets\n\n| target | measured | goal | status |\n|---|---|---|---|\n");
        for (String[] t : targets) {
            md.append("| ").append(String.join(" | ", t)).append(" |\n");
        }
        if (targets.stream().anyMatch(t -> t[3].contains("MISSED"))) {
            md.append("\nA missed target is explained by the profile section below (JFR, taken in the same run).\n");
        }
        throughputSection(md);
        deflateSection(md);
        latencySection(md);
        churnSection(md);
        tlsSection(md);
        scaleSection(md);
        coldSection(md);
        jmhSection(md);
        profileSection(md);
        md.append("\n## Run configuration\n\n");
        md.append("Throughput: ").append(plan.tpWarmupMs).append(" ms warm-up, ").append(plan.tpMeasureMs)
                .append(" ms measured per target, 64 KiB messages, echo window ").append(Scenarios.ECHO_WINDOW / 1024)
                .append(" KiB per connection. Latency: 64-byte messages at ").append(plan.latencyRate)
                .append("/s, ").append(plan.latencyWarmupMs).append(" ms warm-up, ").append(plan.latencyMeasureMs)
                .append(" ms recorded. Churn: ").append(plan.churnConcurrency).append(" in flight, at most ")
                .append(plan.churnMaxCycles).append(" cycles or ").append(plan.churnMaxMs).append(" ms. Scale: ")
                .append(plan.scaleConnections).append(" idle connections, canary at ").append(plan.canaryRate)
                .append("/s for ").append(plan.canaryMs).append(" ms.\n\nDeploy directory given to the runtime:\n\n");
        r.deployFiles.forEach((k, v) -> md.append("- `").append(k).append("`: `")
                .append(v.trim().replace("\n", "`, `")).append("`\n"));
        if (!r.problems.isEmpty()) {
            md.append("\n## Problems during the run\n\n");
            r.problems.forEach(p -> md.append("- ").append(p).append('\n'));
        }
        return md.toString();
    }

    private void deflateSection(StringBuilder md) {
        if (r.deflate.isEmpty()) {
            return;
        }
        md.append("\n## Compressed text echo (permessage-deflate, issue 18)\n\n");
        md.append("| transport | conns | target | MiB/s of payload | runtime CPU | CPU-ms per MiB | wire bytes / payload bytes "
                + "(client side, inbound) |\n|---|---|---|---|---|---|---|\n");
        for (Results.DeflateRow d : r.deflate) {
            double cpuMsPerMib = d.tp().mibPerSec() <= 0 ? Double.NaN : 1000 * d.tp().serverCpu() / d.tp().mibPerSec();
            md.append("| ").append(d.transport().id()).append(" | ").append(d.connections()).append(" | ").append(d.target())
                    .append(" | ").append(f(d.tp().mibPerSec(), 1)).append(" | ").append(f(d.tp().serverCpu(), 2))
                    .append(" | ").append(f(cpuMsPerMib, 1)).append(" | ")
                    .append(d.payloadBytes() == 0 ? "-" : f((double) d.wireBytes() / d.payloadBytes(), 3)).append(" |\n");
        }
        md.append("\nThe same 64 KiB messages of JSON text (the json framer's input) echoed through the `echo` backend: ")
                .append("`bridge` declines the client's permessage-deflate offer (`compression = off`), `bridge-deflate` ")
                .append("has `compression = on` (level 6, context takeover). The client is Netty's ")
                .append("`WebSocketClientCompressionHandler`, which compresses what it sends too. Wire bytes are what the ")
                .append("client's socket delivered (frame headers included) over the whole case, warm-up included.\n");
    }

    private void throughputSection(StringBuilder md) {
        if (r.throughput.isEmpty()) {
            return;
        }
        md.append("\n## Throughput (MiB/s of payload received by the client)\n\n");
        md.append("| transport | scenario | direct | relay | socat | bridge | bridge / relay | bridge / socat | bridge / direct "
                + "| relay CPU | socat CPU | bridge CPU | bridge / relay bytes per CPU-s |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.TpCase c : r.throughput) {
            Scenarios.Throughput rl = c.byTarget().get("relay");
            Scenarios.Throughput b = c.byTarget().get("bridge");
            Double eff = rl == null || b == null || b.serverCpu() <= 0 || rl.serverCpu() <= 0 ? null
                    : (b.mibPerSec() / b.serverCpu()) / (rl.mibPerSec() / rl.serverCpu());
            md.append("| ").append(c.transport().id()).append(" | ").append(c.label()).append(" | ")
                    .append(f(tp(c, "direct"), 0)).append(" | ").append(f(tp(c, "relay"), 0)).append(" | ")
                    .append(f(tp(c, "socat"), 0)).append(" | ")
                    .append(f(tp(c, "bridge"), 0)).append(" | ").append(x(ratio(tp(c, "bridge"), tp(c, "relay"))))
                    .append(" | ").append(x(ratio(tp(c, "bridge"), tp(c, "socat"))))
                    .append(" | ").append(x(ratio(tp(c, "bridge"), tp(c, "direct")))).append(" | ")
                    .append(rl == null ? "-" : f(rl.serverCpu(), 2)).append(" | ")
                    .append(c.byTarget().get("socat") == null ? "-" : f(c.byTarget().get("socat").serverCpu(), 2)).append(" | ")
                    .append(b == null ? "-" : f(b.serverCpu(), 2)).append(" | ").append(x(eff)).append(" |\n");
        }
        md.append("\nOne way: the peer streams 64 KiB chunks, the client only reads. Echo: the client sends 64 KiB ")
                .append("messages with a bounded window and counts what returns. CPU: CPU-seconds per second of the ")
                .append("relay / runtime process (2 cores = 2.00).\n");
    }

    private void latencySection(StringBuilder md) {
        if (r.latency.isEmpty()) {
            return;
        }
        md.append("\n## Latency (round trip of 64-byte messages at a fixed rate, µs)\n\n");
        md.append("| transport | target | p50 | p99 | p99.9 | max | samples | lost | p50 / relay | p99 / relay "
                + "| p99.9 / relay |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.LatCase c : r.latency) {
            Scenarios.Latency rl = c.byTarget().get("relay");
            c.byTarget().forEach((name, l) -> md.append("| ").append(c.transport().id()).append(" | ").append(name)
                    .append(" | ").append(f(l.micros(50), 0)).append(" | ").append(f(l.micros(99), 0)).append(" | ")
                    .append(f(l.micros(99.9), 0)).append(" | ").append(f(l.histogram().getMaxValue() / 1000.0, 0))
                    .append(" | ").append(l.histogram().getTotalCount()).append(" | ").append(l.lost()).append(" | ")
                    .append(rl == null ? "-" : x(l.micros(50) / rl.micros(50))).append(" | ")
                    .append(rl == null ? "-" : x(l.micros(99) / rl.micros(99))).append(" | ")
                    .append(rl == null ? "-" : x(l.micros(99.9) / rl.micros(99.9))).append(" |\n"));
        }
        md.append("\nEach round trip is timed from the moment the message was *scheduled* to be sent, not from ")
                .append("when it was sent, so a stall shows up in the percentiles (coordinated omission corrected, ")
                .append("HdrHistogram, 3 significant digits).\n");
    }

    private void churnSection(StringBuilder md) {
        if (r.churn.isEmpty()) {
            return;
        }
        md.append("\n## Churn (connect, echo one 64-byte message, close; per second)\n\n");
        md.append("| transport | target | cycles/s | completed | failed | bridge or relay / relay |\n"
                + "|---|---|---|---|---|---|\n");
        for (Results.ChurnCase c : r.churn) {
            Scenarios.Churn rl = c.byTarget().get("relay");
            c.byTarget().forEach((name, ch) -> md.append("| ").append(c.transport().id()).append(" | ").append(name)
                    .append(" | ").append(f(ch.perSecond(), 0)).append(" | ").append(ch.completed()).append(" | ")
                    .append(ch.failed()).append(" | ")
                    .append(rl == null ? "-" : x(ch.perSecond() / rl.perSecond())).append(" |\n"));
        }
        md.append("\nFor the bridge a cycle includes the HTTP upgrade, the route look-up, the peer connect before ")
                .append("the 101 and the close handshake (the server closes TCP), plus one log line at open and one ")
                .append("at close.\n");
    }

    /** One figure of the TLS comparison, per target (relay, bridge, wss-jdk, wss-openssl). */
    record TlsRow(Net.Kind transport, String figure, boolean higherIsBetter, Map<String, Double> byTarget) {
        Double over(String a, String b) {
            return ratio(byTarget.get(a), byTarget.get(b));
        }
    }

    static final String WSS_JDK = BridgeRuntime.WSS_JDK;
    static final String WSS_OPENSSL = BridgeRuntime.WSS_OPENSSL;
    static final List<String> TLS_COLUMNS = List.of("relay", "bridge", WSS_JDK, WSS_OPENSSL);

    /** @return the wss figures next to the ws bridge and the relay of the same case, in measurement order */
    List<TlsRow> tlsRows() {
        List<TlsRow> rows = new ArrayList<>();
        for (Results.TpCase c : r.throughput) {
            if (!c.byTarget().containsKey(WSS_JDK) && !c.byTarget().containsKey(WSS_OPENSSL)) {
                continue;
            }
            Map<String, Double> mib = new LinkedHashMap<>();
            Map<String, Double> perCpu = new LinkedHashMap<>();
            for (String t : TLS_COLUMNS) {
                Scenarios.Throughput x = c.byTarget().get(t);
                mib.put(t, x == null ? null : x.mibPerSec());
                perCpu.put(t, x == null || x.serverCpu() <= 0 ? null : x.mibPerSec() / x.serverCpu());
            }
            rows.add(new TlsRow(c.transport(), "throughput " + c.label() + " (MiB/s)", true, mib));
            rows.add(new TlsRow(c.transport(), "throughput " + c.label() + ", MiB per server CPU-s", true, perCpu));
        }
        for (Results.LatCase c : r.latency) {
            if (!c.byTarget().containsKey(WSS_JDK) && !c.byTarget().containsKey(WSS_OPENSSL)) {
                continue;
            }
            for (double pct : new double[] {50, 99}) {
                Map<String, Double> m = new LinkedHashMap<>();
                for (String t : TLS_COLUMNS) {
                    Scenarios.Latency l = c.byTarget().get(t);
                    m.put(t, l == null ? null : l.micros(pct));
                }
                rows.add(new TlsRow(c.transport(), "round trip p" + (int) pct + " (µs)", false, m));
            }
        }
        for (Results.ChurnCase c : r.churn) {
            if (!c.byTarget().containsKey(WSS_JDK) && !c.byTarget().containsKey(WSS_OPENSSL)) {
                continue;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            for (String t : TLS_COLUMNS) {
                Scenarios.Churn ch = c.byTarget().get(t);
                m.put(t, ch == null ? null : ch.perSecond());
            }
            rows.add(new TlsRow(c.transport(), "churn, connect + TLS handshake + upgrade + echo + close (cycles/s)",
                    true, m));
        }
        return rows;
    }

    private void tlsSection(StringBuilder md) {
        md.append("\n## TLS: wss:// against ws:// (JDK and OpenSSL providers)\n\n");
        List<TlsRow> rows = tlsRows();
        if (rows.isEmpty()) {
            md.append("Not measured in this run (the wss targets take part in throughput, latency and churn; ")
                    .append("see \"Problems during the run\" if those ran).\n");
            return;
        }
        md.append("Two more listeners of the same runtime, on the same `echo` backend as **bridge** (ws://): ")
                .append("**wss-jdk** (`tls-provider = jdk`) and **wss-openssl** (`tls-provider = openssl`, ")
                .append("netty-tcnative BoringSSL), measured right after the ws bridge in each case. The ratios ")
                .append("against the ws bridge are the cost of TLS; those against the relay compare with the ")
                .append("no-WebSocket baseline; openssl / jdk compares the providers. Throughput, MiB per CPU-s and ")
                .append("cycles/s: higher is better; round-trip times: lower is better. The load generator's own TLS ")
                .append("work shares the same two cores, so it lowers the wss figures too.\n\n");
        r.tls.forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
        md.append("\n| transport | figure | relay | ws bridge | wss-jdk | wss-openssl | wss-jdk / ws | wss-openssl / ws ")
                .append("| wss-jdk / relay | wss-openssl / relay | openssl / jdk |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (TlsRow row : rows) {
            int decimals = row.figure().contains("µs") || row.figure().contains("cycles") ? 0 : 1;
            md.append("| ").append(row.transport().id()).append(" | ").append(row.figure());
            for (String t : TLS_COLUMNS) {
                md.append(" | ").append(f(row.byTarget().get(t), decimals));
            }
            md.append(" | ").append(x(row.over(WSS_JDK, "bridge"))).append(" | ").append(x(row.over(WSS_OPENSSL, "bridge")))
                    .append(" | ").append(x(row.over(WSS_JDK, "relay"))).append(" | ")
                    .append(x(row.over(WSS_OPENSSL, "relay"))).append(" | ").append(x(row.over(WSS_OPENSSL, WSS_JDK)))
                    .append(" |\n");
        }
        md.append("\nServer CPU of the wss targets is the runtime's, as for the ws bridge (the same process). A churn ")
                .append("cycle of a wss target is a full TLS 1.3 handshake (ECDHE X25519, ECDSA P-256 certificate, no ")
                .append("resumption) on top of the ws cycle.\n");
    }

    private void scaleSection(StringBuilder md) {
        if (r.scale.isEmpty()) {
            return;
        }
        md.append("\n## Scale (idle connections held, then a canary round trip)\n\n");
        md.append("| server | requested | opened | failed | held at end | open time | live heap per conn "
                + "| RSS per conn | fds at end | canary p99 alone | canary p99 loaded | canary p99.9 loaded |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.Scale s : r.scale) {
            md.append("| ").append(s.target()).append(" | ").append(s.requested()).append(" | ").append(s.opened())
                    .append(" | ").append(s.failed()).append(" | ").append(s.held()).append(" | ")
                    .append(f(s.openSeconds(), 1)).append(" s | ").append(f(s.heapPerConn() / 1024, 2))
                    .append(" KiB | ").append(f(s.rssPerConn() / 1024, 1)).append(" KiB | ").append(s.fdsAfter())
                    .append(" | ").append(f(s.canaryIdle().micros(99) / 1000, 2)).append(" ms | ")
                    .append(f(s.canaryLoaded().micros(99) / 1000, 2)).append(" ms | ")
                    .append(f(s.canaryLoaded().micros(99.9) / 1000, 2)).append(" ms |\n");
        }
        md.append("\nLive heap = `jcmd GC.class_histogram` total (taken after a full GC) with the connections open ")
                .append("minus before, divided by the connections opened. RSS adds the kernel-visible cost (direct ")
                .append("buffer arenas, thread stacks). Open files are capped at ")
                .append(r.environment.get("openFilesLimit")).append(" per process on this machine and each bridge ")
                .append("holds two (client and peer), so the run opens ").append(plan.scaleConnections)
                .append(" rather than 10 000; the load generator and the peer run in their own processes, each ")
                .append("under its own limit.\n");
        md.append("\nThe two rows with one 4 KiB message each (issue 18) hold ").append(Main.COMPRESSED_SCALE)
                .append(" connections of a client that offers permessage-deflate and echo one 4 KiB message of JSON ")
                .append("text on each before the measure: on the plain listener the offer is declined; with ")
                .append("`compression = on` (level 6, window 15, context takeover) each connection then keeps a ")
                .append("compressor and a decompressor, and the difference between the two rows is their cost.\n");
    }

    private void coldSection(StringBuilder md) {
        if (r.coldBridgeMs.isEmpty()) {
            return;
        }
        md.append("\n## Cold start (process start to the listener accepting TCP)\n\n");
        md.append("| process | runs | median | min | max | / relay |\n|---|---|---|---|---|---|\n");
        double rm = r.coldRelayMs.isEmpty() ? Double.NaN : median(r.coldRelayMs);
        md.append("| websocksy (`bin/websocksy`, empty bundle cache) | ").append(r.coldBridgeMs.size()).append(" | ")
                .append(f(median(r.coldBridgeMs), 0)).append(" ms | ").append(f(min(r.coldBridgeMs), 0))
                .append(" ms | ").append(f(max(r.coldBridgeMs), 0)).append(" ms | ")
                .append(x(median(r.coldBridgeMs) / rm)).append(" |\n");
        if (!r.coldRelayMs.isEmpty()) {
            md.append("| raw relay (plain JVM + Netty) | ").append(r.coldRelayMs.size()).append(" | ")
                    .append(f(rm, 0)).append(" ms | ").append(f(min(r.coldRelayMs), 0)).append(" ms | ")
                    .append(f(max(r.coldRelayMs), 0)).append(" ms | 1.00× |\n");
        }
    }

    private void jmhSection(StringBuilder md) {
        if (r.jmh.isEmpty()) {
            return;
        }
        md.append("\n## Framers (JMH, one operation = one 64 KiB read offered to the framer)\n\n");
        md.append("| framer | config | input | messages per read | MB/s | ± ops/s | allocated B per read "
                + "| B per message | B per input byte |\n|---|---|---|---|---|---|---|---|---|\n");
        for (JmhSuite.Figure fig : r.jmh) {
            if (fig.param() == null) {
                continue;
            }
            Double msgs = r.framerMessagesPerOp.get(fig.param());
            md.append("| ").append(fig.param()).append(" | `").append(FramerInputs.config(fig.param()))
                    .append("` | ").append((long) fig.bytesPerOp()).append(" B | ")
                    .append(msgs == null ? "-" : f(msgs, 0)).append(" | ").append(f(fig.bytesPerSec() / 1e6, 0))
                    .append(" | ").append(f(fig.opsError(), 0)).append(" | ").append(f(fig.allocBytesPerOp(), 0))
                    .append(" | ").append(msgs == null || msgs == 0 ? "-" : f(fig.allocBytesPerOp() / msgs, 1))
                    .append(" | ").append(f(fig.allocPerByte(), 4)).append(" |\n");
        }
        md.append("\nInputs (`FramerInputs`): `binary`/`fixedlength` random bytes, `auto` UTF-8 prose with ")
                .append("multi-byte characters, `newline` log lines with CRLF, `separator` binary records ended by ")
                .append("0x00, `dynamic32` length-prefixed records, `json` telemetry objects. The allocation ")
                .append("includes the `Decision` objects the API returns (24 B, one per emitted message, not removed ")
                .append("by escape analysis across the `FramingState` interface call), so 24 B per message means ")
                .append("the framer itself allocates nothing; the target counts only what is beyond that.\n");
        md.append("\n## Handshake path (JMH)\n\n| benchmark | ops/s | ± | allocated B per op |\n|---|---|---|---|\n");
        for (JmhSuite.Figure fig : r.jmh) {
            if (fig.param() == null) {
                md.append("| ").append(fig.benchmark()).append(" | ").append(f(fig.opsPerSec(), 0)).append(" | ")
                        .append(f(fig.opsError(), 0)).append(" | ").append(f(fig.allocBytesPerOp(), 0)).append(" |\n");
            }
        }
        md.append("\n`parseValidateAccept`: a 750-byte Chromium upgrade request through the bridge's strict ")
                .append("request-head parser, the RFC 6455 checks and the Sec-WebSocket-Accept hash; `acceptOnly`: ")
                .append("the SHA-1 + Base64 alone.\n");
    }

    private void profileSection(StringBuilder md) {
        if (r.profiles.isEmpty()) {
            return;
        }
        md.append("\n## Profile of the runtime (JFR, `settings=profile`, taken after the measurements)\n");
        r.profiles.forEach((name, s) -> {
            md.append("\n### ").append(name).append("\n\n").append(s.executionSamples).append(" execution samples; ")
                    .append(f(s.allocationBytes / MIB, 0)).append(" MiB of sampled allocation.\n\n");
            table(md, "hottest methods (top frame)", "% of samples", s.hotMethods);
            table(md, "hottest websocksy frames (first io.websocksy frame on the stack)", "% of samples",
                    s.hotOwnFrames);
            table(md, "allocation sites (class at first non-allocator frame)", "% of bytes", s.allocationSites);
        });
    }

    private static void table(StringBuilder md, String title, String unit, List<JfrSummary.Row> rows) {
        md.append("| ").append(title).append(" | ").append(unit).append(" |\n|---|---|\n");
        for (JfrSummary.Row row : rows) {
            md.append("| `").append(row.what()).append("` | ").append(f(row.share(), 1)).append(" |\n");
        }
        md.append('\n');
    }

    // ------------------------------------------------------------------------------- json

    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("environment", r.environment);
        j.put("wallSeconds", r.wallSeconds);
        List<Object> t = new ArrayList<>();
        for (String[] row : targets) {
            t.add(Map.of("target", row[0], "measured", row[1], "goal", row[2], "status", row[3].replace("*", "")));
        }
        j.put("targets", t);
        List<Object> tp = new ArrayList<>();
        for (Results.TpCase c : r.throughput) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("transport", c.transport().id());
            m.put("connections", c.connections());
            m.put("mode", c.echo() ? "echo" : "oneway");
            Map<String, Object> by = new LinkedHashMap<>();
            c.byTarget().forEach((k, v) -> by.put(k, Map.of("mibPerSec", v.mibPerSec(), "seconds", v.seconds(),
                    "bytes", v.bytes(), "serverCpu", v.serverCpu(), "failedConnections", v.failedConnections())));
            m.put("targets", by);
            m.put("bridgeOverRelay", ratio(tp(c, "bridge"), tp(c, "relay")));
            tp.add(m);
        }
        j.put("throughput", tp);
        List<Object> lat = new ArrayList<>();
        for (Results.LatCase c : r.latency) {
            Map<String, Object> by = new LinkedHashMap<>();
            c.byTarget().forEach((k, v) -> by.put(k, latency(v)));
            lat.add(Map.of("transport", c.transport().id(), "targets", by));
        }
        j.put("latency", lat);
        List<Object> ch = new ArrayList<>();
        for (Results.ChurnCase c : r.churn) {
            Map<String, Object> by = new LinkedHashMap<>();
            c.byTarget().forEach((k, v) -> by.put(k, Map.of("perSecond", v.perSecond(), "completed", v.completed(),
                    "failed", v.failed(), "seconds", v.seconds())));
            ch.add(Map.of("transport", c.transport().id(), "targets", by));
        }
        j.put("churn", ch);
        Map<String, Object> tlsJson = new LinkedHashMap<>(r.tls);
        List<Object> tlsRows = new ArrayList<>();
        for (TlsRow row : tlsRows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("transport", row.transport().id());
            m.put("figure", row.figure());
            m.put("higherIsBetter", row.higherIsBetter());
            m.put("values", row.byTarget());
            m.put("wssJdkOverWs", row.over(WSS_JDK, "bridge"));
            m.put("wssOpensslOverWs", row.over(WSS_OPENSSL, "bridge"));
            m.put("wssJdkOverRelay", row.over(WSS_JDK, "relay"));
            m.put("wssOpensslOverRelay", row.over(WSS_OPENSSL, "relay"));
            m.put("opensslOverJdk", row.over(WSS_OPENSSL, WSS_JDK));
            tlsRows.add(m);
        }
        tlsJson.put("rows", tlsRows);
        j.put("tls", tlsJson);
        List<Object> sc = new ArrayList<>();
        for (Results.Scale s : r.scale) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", s.target());
            m.put("requested", s.requested());
            m.put("opened", s.opened());
            m.put("failed", s.failed());
            m.put("held", s.held());
            m.put("openSeconds", s.openSeconds());
            m.put("liveHeapBefore", s.heapBefore());
            m.put("liveHeapAfter", s.heapAfter());
            m.put("heapBytesPerConnection", s.heapPerConn());
            m.put("rssBefore", s.rssBefore());
            m.put("rssAfter", s.rssAfter());
            m.put("rssBytesPerConnection", s.rssPerConn());
            m.put("fdsAfter", s.fdsAfter());
            m.put("canaryAlone", latency(s.canaryIdle()));
            m.put("canaryLoaded", latency(s.canaryLoaded()));
            sc.add(m);
        }
        j.put("scale", sc);
        j.put("coldStartMs", Map.of("websocksy", r.coldBridgeMs, "relay", r.coldRelayMs));
        List<Object> jmh = new ArrayList<>();
        for (JmhSuite.Figure fig : r.jmh) {
            Map<String, Object> m = JmhSuite.toMap(fig);
            if (fig.param() != null && r.framerMessagesPerOp.containsKey(fig.param())) {
                m.put("messagesPerOp", r.framerMessagesPerOp.get(fig.param()));
            }
            jmh.add(m);
        }
        j.put("jmh", jmh);
        Map<String, Object> prof = new LinkedHashMap<>();
        r.profiles.forEach((k, v) -> prof.put(k, v.toMap()));
        j.put("profiles", prof);
        j.put("problems", r.problems);
        return j;
    }

    private static Map<String, Object> latency(Scenarios.Latency l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ratePerSec", l.ratePerSec());
        m.put("samples", l.histogram().getTotalCount());
        m.put("lost", l.lost());
        m.put("p50us", l.micros(50));
        m.put("p90us", l.micros(90));
        m.put("p99us", l.micros(99));
        m.put("p999us", l.micros(99.9));
        m.put("maxUs", l.histogram().getMaxValue() / 1000.0);
        return m;
    }

    // ------------------------------------------------------------------------------- numbers

    private static Double tp(Results.TpCase c, String target) {
        Scenarios.Throughput t = c.byTarget().get(target);
        return t == null ? null : t.mibPerSec();
    }

    static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    static String x(Double q) {
        return q == null || q.isNaN() || q.isInfinite() ? "-" : String.format(Locale.ROOT, "%.2f×", q);
    }

    static String f(Double v, int decimals) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
