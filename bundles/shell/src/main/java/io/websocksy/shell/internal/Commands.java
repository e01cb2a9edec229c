package io.websocksy.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.websocksy.api.admin.BridgeAdmin;
import io.websocksy.api.admin.BridgeMetrics;
import io.websocksy.api.admin.ConnectionInfo;
import io.websocksy.api.admin.DryRunRequest;
import io.websocksy.api.admin.DryRunResult;
import io.websocksy.api.admin.ListenerInfo;
import io.websocksy.api.admin.ServiceInfo;
import io.websocksy.api.backend.Route;

/**
 * The {@code websocksy:*} Gogo commands. Every command parses its own arguments, prints an aligned
 * table (or a key/value block) to standard output, and on any problem prints one line naming it plus
 * the usage to standard error; nothing is thrown at the shell.
 */
@Component(service = Commands.class, immediate = true, property = {
    "osgi.command.scope=websocksy",
    "osgi.command.function=listeners",
    "osgi.command.function=connections",
    "osgi.command.function=close",
    "osgi.command.function=drain",
    "osgi.command.function=resume",
    "osgi.command.function=framers",
    "osgi.command.function=backends",
    "osgi.command.function=route",
    "osgi.command.function=names",
    "osgi.command.function=stats"})
public final class Commands {
    static final String USAGE_LISTENERS = "websocksy:listeners";
    static final String USAGE_CONNECTIONS = "websocksy:connections [-l <listener>] [-p <peer-substring>]";
    static final String USAGE_CLOSE = "websocksy:close <id> [-c 1000|1001|1008|3000-4999] [-r <reason>]";
    static final String USAGE_DRAIN = "websocksy:drain <listener> [-t <seconds, default 30; 0 = close now>]";
    static final String USAGE_RESUME = "websocksy:resume <listener>";
    static final String USAGE_FRAMERS = "websocksy:framers";
    static final String USAGE_BACKENDS = "websocksy:backends";
    static final String USAGE_ROUTE = "websocksy:route [-l <listener> | -b <backend>] [-H 'Name: value']... "
            + "[-C name=value]... [-P <subprotocol>]... <path[?query]>";
    static final String USAGE_STATS = "websocksy:stats [-l <listener>]";
    static final String USAGE_NAMES = "websocksy:names listeners|connections|framers|backends";
    static final int DEFAULT_DRAIN_SECONDS = 30;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BridgeAdmin admin;

    /** For tests and the component runtime. */
    public Commands() {
    }

    Commands(BridgeAdmin admin) {
        this.admin = admin;
    }

    /** The body of one command; may throw anything, {@link #run} turns it into one line. */
    @FunctionalInterface
    private interface Body {
        void run(BridgeAdmin a, PrintStream out) throws Exception;
    }

    private void run(String name, String usage, Body body) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            BridgeAdmin a = admin;
            if (a == null) {
                err.println("websocksy:" + name + ": the websocksy bridge is not running");
                return;
            }
            body.run(a, out);
        } catch (UsageException e) {
            err.println("websocksy:" + name + ": " + e.getMessage());
            err.println("usage: " + usage);
        } catch (NoSuchElementException | IllegalArgumentException | IllegalStateException e) {
            err.println("websocksy:" + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("websocksy:" + name + ": interrupted");
        } catch (Exception | LinkageError e) {
            err.println("websocksy:" + name + ": failed: " + e);
        }
        out.flush();
    }

    private static boolean helped(Args a, String usage, PrintStream out) {
        if (a.help()) {
            out.println("usage: " + usage);
        }
        return a.help();
    }

    // ---------------------------------------------------------------- listeners

    /** @param argv none */
    @Descriptor("List the listeners: address, TLS, backend and whether it runs, state, connections and totals")
    public void listeners(@Descriptor("(no arguments)") String... argv) {
        run("listeners", USAGE_LISTENERS, (a, out) -> {
            Args p = Args.parse(argv, Set.of(), Set.of());
            if (helped(p, USAGE_LISTENERS, out)) {
                return;
            }
            p.expect(0, 0);
            out.print(listenerTable(a.listeners()));
        });
    }

    static String listenerTable(List<ListenerInfo> ls) {
        if (ls.isEmpty()) {
            return "no listeners\n";
        }
        Table t = new Table("NAME", "STATE", "ADDRESS", "TLS", "BACKEND", "BOUND", ">OPEN", ">ACCEPTED",
                ">UPGRADED", ">REJECTED");
        for (ListenerInfo l : ls) {
            t.row(l.name(), l.state().label(), l.address(), l.tls() ? "on" : "off", l.backend(),
                    l.backendBound() ? "yes" : "no", l.open(), l.accepted(), l.upgraded(), l.rejected());
        }
        StringBuilder b = new StringBuilder(t.render());
        for (ListenerInfo l : ls) {
            if (l.state() == ListenerInfo.State.FAILED) {
                b.append(l.name()).append(" failed: ").append(l.failure().orElse("not running")).append('\n');
            }
        }
        if (ls.stream().allMatch(l -> l.state() == ListenerInfo.State.FAILED)) {
            b.append("no listener is running: nothing is served until a configuration is corrected\n");
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- connections

    /** @param argv options */
    @Descriptor("List live connections with traffic counters (payload bytes and messages each way), age and idle time")
    public void connections(@Descriptor("[-l <listener>] [-p <peer-substring>]") String... argv) {
        run("connections", USAGE_CONNECTIONS, (a, out) -> {
            Args p = Args.parse(argv, Set.of("-l", "-p"), Set.of());
            if (helped(p, USAGE_CONNECTIONS, out)) {
                return;
            }
            p.expect(0, 0);
            String listener = p.option("-l");
            String peer = p.option("-p");
            if (listener != null && a.listeners().stream().noneMatch(l -> l.name().equals(listener))) {
                throw new NoSuchElementException("no listener named '" + listener + "'");
            }
            List<ConnectionInfo> cs = new ArrayList<>();
            for (ConnectionInfo c : a.connections()) {
                if ((listener == null || c.listener().equals(listener))
                        && (peer == null || c.route().peer().toString().contains(peer))) {
                    cs.add(c);
                }
            }
            out.print(connectionTable(cs));
        });
    }

    static String connectionTable(List<ConnectionInfo> cs) {
        if (cs.isEmpty()) {
            return "no connections\n";
        }
        Table t = new Table(">ID", "LISTENER", "CLIENT", "PATH", "PEER", "FRAMER", "SUBPROTOCOL", ">UP-BYTES",
                ">UP-MSGS", ">DOWN-BYTES", ">DOWN-MSGS", ">AGE", ">IDLE");
        for (ConnectionInfo c : cs) {
            Route r = c.route();
            t.row(c.id(), c.listener(), address(c.client()), c.path(), r.peer(),
                    r.framer() + (r.framerConfig().isEmpty() ? "" : "(" + r.framerConfig() + ")"),
                    c.subprotocol().orElse("-"), c.bytesUp(), c.messagesUp(), c.bytesDown(), c.messagesDown(),
                    duration(c.age()), duration(c.idle()));
        }
        return t.render();
    }

    static String address(java.net.InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** @return a compact duration: {@code 42s}, {@code 3m07s}, {@code 2h05m}, {@code 3d04h} */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }

    // ---------------------------------------------------------------- close, drain, resume

    /** @param argv id and options */
    @Descriptor("Close one connection by id: a close frame with the code and reason to the client, the peer closed")
    public void close(@Descriptor("<id> [-c 1000|1001|1008|3000-4999] [-r <reason>]") String... argv) {
        run("close", USAGE_CLOSE, (a, out) -> {
            Args p = Args.parse(argv, Set.of("-c", "-r"), Set.of());
            if (helped(p, USAGE_CLOSE, out)) {
                return;
            }
            p.expect(1, 1);
            long id = parseLong(p.positional().get(0), "connection id");
            int code = p.option("-c") == null ? 1000 : (int) parseLong(p.option("-c"), "close code");
            String reason = p.option("-r") == null ? "closed by administrator" : p.option("-r");
            if (!BridgeAdmin.CLOSE_CODES.contains(code) && (code < 3000 || code > 4999)) {
                throw new UsageException("close code " + code + " may not be sent (1000, 1001, 1008 or 3000-4999)");
            }
            if (!a.close(id, code, reason)) {
                throw new NoSuchElementException("no open connection with id " + id);
            }
            out.println("connection " + id + ": sent close " + code + " '" + Table.clean(reason) + "'");
        });
    }

    /** @param argv listener and options */
    @Descriptor("Drain a listener: stop accepting now, close connections still open after the timeout with 1001")
    public void drain(@Descriptor("<listener> [-t <seconds>]") String... argv) {
        run("drain", USAGE_DRAIN, (a, out) -> {
            Args p = Args.parse(argv, Set.of("-t"), Set.of());
            if (helped(p, USAGE_DRAIN, out)) {
                return;
            }
            p.expect(1, 1);
            long seconds = p.option("-t") == null ? DEFAULT_DRAIN_SECONDS : parseLong(p.option("-t"), "timeout");
            if (seconds < 0) {
                throw new UsageException("timeout must not be negative, got " + seconds);
            }
            ListenerInfo l = a.drain(p.positional().get(0), Duration.ofSeconds(seconds));
            out.print(listenerTable(List.of(l)));
            out.println("listener " + l.name() + " no longer accepts; " + l.open() + " open connections "
                    + (seconds == 0 ? "closed with 1001 now" : "closed with 1001 in " + seconds + " s if still open")
                    + "; websocksy:resume " + l.name() + " binds it again");
        });
    }

    /** @param argv listener */
    @Descriptor("Bind a drained listener again")
    public void resume(@Descriptor("<listener>") String... argv) {
        run("resume", USAGE_RESUME, (a, out) -> {
            Args p = Args.parse(argv, Set.of(), Set.of());
            if (helped(p, USAGE_RESUME, out)) {
                return;
            }
            p.expect(1, 1);
            out.print(listenerTable(List.of(a.resume(p.positional().get(0)))));
        });
    }

    // ---------------------------------------------------------------- stats

    /** @param argv options */
    @Descriptor("Print the bridge's counters (the same ones /metrics exports): per listener, backend and framer")
    public void stats(@Descriptor("[-l <listener>]") String... argv) {
        run("stats", USAGE_STATS, (a, out) -> {
            Args p = Args.parse(argv, Set.of("-l"), Set.of());
            if (helped(p, USAGE_STATS, out)) {
                return;
            }
            p.expect(0, 0);
            String only = p.option("-l");
            BridgeMetrics m = a.metrics();
            if (only != null && m.listeners().stream().noneMatch(l -> l.name().equals(only))) {
                throw new NoSuchElementException("no listener named '" + only + "'");
            }
            out.print(statsText(m, only));
        });
    }

    static String statsText(BridgeMetrics m, String only) {
        StringBuilder sb = new StringBuilder();
        if (m.listeners().isEmpty()) {
            sb.append("no listeners\n");
        }
        for (BridgeMetrics.Listener l : m.listeners()) {
            if (only != null && !l.name().equals(only)) {
                continue;
            }
            Table t = new Table("LISTENER " + l.name(), ">VALUE");
            t.row("connections open", l.open());
            t.row("accepted", l.accepted());
            t.row("upgraded", l.upgraded());
            t.row("rejected", l.rejected());
            l.rejectedByStatus().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> t.row("  rejected " + e.getKey(), e.getValue()));
            for (BridgeMetrics.Close c : l.closes()) {
                t.row("closed code=" + c.code() + " by " + c.side(), c.count());
            }
            t.row("bytes client->peer", l.bytesToPeer());
            t.row("messages client->peer", l.messagesToPeer());
            t.row("bytes peer->client", l.bytesToClient());
            t.row("messages peer->client", l.messagesToClient());
            t.row("ping timeouts", l.pingTimeouts());
            t.row("write-stall closes", l.writeStallCloses());
            t.row("TLS handshake failures", l.tlsHandshakeFailures());
            t.row("handshake " + durations(l.handshake()), l.handshake().count());
            t.row("route look-up " + durations(l.routeLookup()), l.routeLookup().count());
            t.row("peer connect " + durations(l.peerConnect()), l.peerConnect().count());
            sb.append(t.render()).append('\n');
        }
        if (only != null) {
            return sb.toString();
        }
        if (!m.backends().isEmpty()) {
            Table t = new Table("BACKEND", ">LOOKUPS", ">ERRORS", ">NOT-FOUND");
            m.backends().forEach(b -> t.row(b.name(), b.lookups(), b.errors(), b.notFound()));
            sb.append(t.render()).append('\n');
        }
        if (!m.framers().isEmpty()) {
            Table t = new Table("FRAMER", ">MSG-TO-CLIENT", ">MSG-TO-PEER", ">ERRORS");
            m.framers().forEach(f -> t.row(f.name(), f.messagesToClient(), f.messagesToPeer(), f.errors()));
            sb.append(t.render());
        }
        return sb.toString();
    }

    /** @return "(mean 1.2 ms)" of a histogram, or "" when empty */
    private static String durations(BridgeMetrics.Histogram h) {
        if (h.count() == 0) {
            return "(none)";
        }
        double meanMs = h.sumSeconds() * 1000 / h.count();
        return String.format(Locale.ROOT, "(mean %.3f ms)", meanMs);
    }

    // ---------------------------------------------------------------- services

    /** @param argv none */
    @Descriptor("List framer services: name, active or shadowed, ranking, providing bundle")
    public void framers(@Descriptor("(no arguments)") String... argv) {
        run("framers", USAGE_FRAMERS, (a, out) -> {
            Args p = Args.parse(argv, Set.of(), Set.of());
            if (helped(p, USAGE_FRAMERS, out)) {
                return;
            }
            p.expect(0, 0);
            out.print(serviceTable(a.framers(), "framers"));
        });
    }

    /** @param argv none */
    @Descriptor("List backend services: name, active or shadowed, ranking, providing bundle")
    public void backends(@Descriptor("(no arguments)") String... argv) {
        run("backends", USAGE_BACKENDS, (a, out) -> {
            Args p = Args.parse(argv, Set.of(), Set.of());
            if (helped(p, USAGE_BACKENDS, out)) {
                return;
            }
            p.expect(0, 0);
            out.print(serviceTable(a.backends(), "backends"));
        });
    }

    static String serviceTable(List<ServiceInfo> ss, String what) {
        if (ss.isEmpty()) {
            return "no " + what + "\n";
        }
        Table t = new Table("NAME", "STATE", ">RANKING", ">SERVICE-ID", "BUNDLE", "VERSION", ">BUNDLE-ID");
        for (ServiceInfo s : ss) {
            t.row(s.name(), s.active() ? "active" : "shadowed", s.ranking(), s.serviceId(), s.bundleSymbolicName(),
                    s.bundleVersion(), s.bundleId());
        }
        return t.render();
    }

    // ---------------------------------------------------------------- route dry run

    /** @param argv options and path */
    @Descriptor("Ask the backend for a route as a real handshake would, without connecting; print its answer or why there is none")
    public void route(@Descriptor("[-l <listener> | -b <backend>] [-H 'Name: value']... [-C name=value]... "
            + "[-P <subprotocol>]... <path[?query]>") String... argv) {
        run("route", USAGE_ROUTE, (a, out) -> {
            Args p = Args.parse(argv, Set.of("-l", "-b", "-H", "-C", "-P"), Set.of("-H", "-C", "-P"));
            if (helped(p, USAGE_ROUTE, out)) {
                return;
            }
            p.expect(1, 1);
            if (p.option("-l") != null && p.option("-b") != null) {
                throw new UsageException("give -l or -b, not both");
            }
            DryRunRequest.Builder b;
            try {
                b = DryRunRequest.forTarget(p.positional().get(0));
                if (p.option("-l") != null) {
                    b.listener(p.option("-l"));
                }
                if (p.option("-b") != null) {
                    b.backend(p.option("-b"));
                }
                for (String h : p.all("-H")) {
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        throw new UsageException("-H wants 'Name: value', got '" + h + "'");
                    }
                    b.header(h.substring(0, colon).trim(), h.substring(colon + 1));
                }
                for (String c : p.all("-C")) {
                    int eq = c.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("-C wants name=value, got '" + c + "'");
                    }
                    b.cookie(c.substring(0, eq).trim(), c.substring(eq + 1));
                }
                for (String proto : p.all("-P")) {
                    for (String one : proto.split(",")) {
                        if (!one.isBlank()) {
                            b.subprotocol(one.trim());
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            DryRunResult r;
            try {
                r = a.dryRun(b.build()).toCompletableFuture().get(3700, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("dry run failed: " + e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("dry run got no answer");
            }
            out.print(routeBlock(r));
        });
    }

    static String routeBlock(DryRunResult r) {
        Table t = new Table("FIELD", "VALUE");
        t.row("listener", r.listener().orElse("-"));
        t.row("backend", r.backend().orElse("-"));
        t.row("status", r.status() + " " + reasonPhrase(r.status()));
        if (!r.upgraded()) {
            t.row("cause", r.cause());
        }
        r.route().ifPresent(route -> {
            t.row("peer", route.peer());
            t.row("framer", route.framer());
            t.row("framer-config", route.framerConfig().isEmpty() ? "-" : route.framerConfig());
            t.row("subprotocol", route.subprotocol().orElse("-"));
        });
        return t.render();
    }

    static String reasonPhrase(int status) {
        switch (status) {
            case 101: return "Switching Protocols (would upgrade and connect the peer)";
            case 400: return "Bad Request";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 414: return "URI Too Long";
            case 426: return "Upgrade Required";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "";
        }
    }

    // ---------------------------------------------------------------- completion helper

    /**
     * @param kind what to name
     * @return the names (for Tab completion scripts in {@code etc/gosh_profile}); empty on a bad kind
     */
    @Descriptor("Names for Tab completion: listeners, connections (ids), framers or backends")
    public List<String> names(@Descriptor("listeners|connections|framers|backends") String... kind) {
        BridgeAdmin a = admin;
        if (a == null || kind == null || kind.length != 1) {
            return List.of();
        }
        try {
            switch (String.valueOf(kind[0])) {
                case "listeners":
                    return a.listeners().stream().map(ListenerInfo::name).collect(Collectors.toList());
                case "connections":
                    return a.connections().stream().map(c -> Long.toString(c.id())).collect(Collectors.toList());
                case "framers":
                    return a.framers().stream().map(ServiceInfo::name).distinct().collect(Collectors.toList());
                case "backends":
                    return a.backends().stream().map(ServiceInfo::name).distinct().collect(Collectors.toList());
                default:
                    return List.of();
            }
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static long parseLong(String s, String what) throws UsageException {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("bad " + what + " '" + s + "' (expected a whole number)");
        }
    }
}
