package io.websocksy.launcher;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/websocksy websockify [options] [source_addr:]source_port [target_addr:target_port]}: websockify
 * 0.10's command line, mapped onto the configurations the {@code .cfg} files would be: one listener
 * ({@code websocksy.listener~main}) and one backend ({@code websocksy.backend.default}, {@code .token},
 * {@code .redis} or {@code .jwt}, instance {@code main}). Options are parsed as Python's optparse does for
 * websockify: {@code --name value}, {@code --name=value}, unique prefixes of long names, clustered short
 * flags. Every websockify option is either mapped or refused with an error naming it (exit status 2); none
 * is ignored. The README's "Coming from websockify" table lists each one.
 */
public final class WebsockifyArguments {
    /** The first argument that selects this dialect. */
    public static final String COMMAND = "websockify";

    /** How one websockify option is handled. */
    private enum Kind { FLAG, VALUE, UNSUPPORTED_FLAG, UNSUPPORTED_VALUE }

    private static final class Option {
        final String name;
        final Kind kind;
        final String why;

        Option(String name, Kind kind, String why) {
            this.name = name;
            this.kind = kind;
            this.why = why;
        }
    }

    private static final Map<String, Option> LONG = new LinkedHashMap<>();
    private static final Map<Character, String> SHORT = Map.of('v', "--verbose", 'D', "--daemon", '6', "--prefer-ipv6",
            'h', "--help");

    static {
        flag("--help");
        flag("--verbose");
        unsupportedFlag("--traffic", "per-frame traffic output does not exist; connection lines carry bytes and "
                + "messages each way (access-log)");
        unsupported("--record", "session recording is not implemented");
        unsupportedFlag("--daemon", "websocksy stays in the foreground; run it under systemd, a container or nohup");
        flag("--run-once");
        value("--timeout");
        value("--idle-timeout");
        value("--cert");
        value("--key");
        unsupported("--key-password", "tls-key must be an unencrypted PKCS#8 PEM file (openssl pkcs8 -topk8 -nocrypt)");
        flag("--ssl-only");
        unsupportedFlag("--ssl-target", "peers are connected in plain TCP; put TLS to the target elsewhere "
                + "(e.g. stunnel)");
        flag("--verify-client");
        value("--cafile");
        value("--ssl-version");
        unsupported("--ssl-ciphers", "the cipher suites are the TLS provider's modern defaults");
        value("--unix-target");
        unsupportedFlag("--inetd", "websocksy binds its own listening socket");
        value("--web");
        unsupportedFlag("--web-auth", "there are no authentication plugins");
        unsupported("--wrap-mode", "wrapping a program (rebind.so) is not implemented");
        flag("--prefer-ipv6");
        flag("--libserver");
        value("--target-config");
        value("--token-plugin");
        value("--token-source");
        flag("--host-token");
        value("--auth-plugin");
        value("--auth-source");
        value("--heartbeat");
        unsupported("--log-file", "websocksy logs to standard error; redirect it or use the service manager's log");
        unsupported("--syslog", "websocksy logs to standard error; redirect it or use the service manager's log");
        unsupportedFlag("--legacy-syslog", "websocksy logs to standard error; there is no syslog output");
    }

    private static void flag(String n) {
        LONG.put(n, new Option(n, Kind.FLAG, null));
    }

    private static void value(String n) {
        LONG.put(n, new Option(n, Kind.VALUE, null));
    }

    private static void unsupported(String n, String why) {
        LONG.put(n, new Option(n, Kind.UNSUPPORTED_VALUE, why));
    }

    private static void unsupportedFlag(String n, String why) {
        LONG.put(n, new Option(n, Kind.UNSUPPORTED_FLAG, why));
    }

    private WebsockifyArguments() {
    }

    /**
     * @param args the process arguments
     * @return whether they are websockify's (the first is {@value #COMMAND})
     */
    public static boolean handles(String... args) {
        return args.length > 0 && args[0].equals(COMMAND);
    }

    /** One parsed option value and where it was written. */
    private static final class Given {
        final String value;
        final String source;

        Given(String value, String source) {
            this.value = value;
            this.source = source;
        }
    }

    /**
     * @param args the process arguments, {@value #COMMAND} first
     * @return {@link Arguments.Mode#HELP} or the validated spec
     * @throws ConfigError naming the first bad or unsupported option
     */
    public static Arguments parse(String... args) throws ConfigError {
        Map<String, Given> opts = new LinkedHashMap<>();
        List<Given> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String at = "argument " + (i + 1);
            if (a.equals("--")) {
                throw ConfigError.at(at, "websockify option '--' (wrapping a program, WRAP_COMMAND_LINE) is not "
                        + "supported: wrapping a program (rebind.so) is not implemented");
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq >= 0 ? a.substring(0, eq) : a;
                Option o = lookup(name, at);
                String value = null;
                if (o.kind == Kind.VALUE || o.kind == Kind.UNSUPPORTED_VALUE) {
                    if (eq >= 0) {
                        value = a.substring(eq + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw ConfigError.at(at, "option " + o.name + " needs a value (see websockify --help)");
                    }
                } else if (eq >= 0) {
                    throw ConfigError.at(at, "option " + o.name + " takes no value");
                }
                if (o.kind == Kind.UNSUPPORTED_FLAG || o.kind == Kind.UNSUPPORTED_VALUE) {
                    throw ConfigError.at(at, "websockify option " + o.name + " is not supported: " + o.why);
                }
                if (o.name.equals("--help")) {
                    return Arguments.of(null);
                }
                String source = "argument " + (i + 1) + " (" + o.name + (value == null ? "" : " " + value) + ")";
                opts.put(o.name, new Given(value == null ? "true" : value, source));
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    String name = SHORT.get(a.charAt(k));
                    if (name == null) {
                        throw ConfigError.at(at, "unknown websockify option '-" + a.charAt(k)
                                + "' (see websockify --help)");
                    }
                    Option o = LONG.get(name);
                    if (o.kind == Kind.UNSUPPORTED_FLAG) {
                        throw ConfigError.at(at, "websockify option -" + a.charAt(k) + " (" + o.name
                                + ") is not supported: " + o.why);
                    }
                    if (o.name.equals("--help")) {
                        return Arguments.of(null);
                    }
                    opts.put(o.name, new Given("true", "argument " + (i + 1) + " (-" + a.charAt(k) + ")"));
                }
            } else {
                positional.add(new Given(a, "argument " + (i + 1) + " (" + a + ")"));
            }
        }
        return Arguments.of(build(opts, positional).validate());
    }

    private static Option lookup(String name, String at) throws ConfigError {
        Option o = LONG.get(name);
        if (o != null) {
            return o;
        }
        List<Option> matches = new ArrayList<>();
        for (Option c : LONG.values()) {
            if (c.name.startsWith(name) && name.length() > 2) {
                matches.add(c);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            List<String> names = new ArrayList<>();
            matches.forEach(m -> names.add(m.name));
            throw ConfigError.at(at, "ambiguous websockify option '" + name + "' (" + String.join(", ", names) + ")");
        }
        throw ConfigError.at(at, "unknown websockify option '" + name + "' (see websockify --help)");
    }

    private static LaunchSpec build(Map<String, Given> o, List<Given> positional) throws ConfigError {
        LaunchSpec spec = new LaunchSpec();
        spec.verbose = o.containsKey("--verbose");
        if (o.containsKey("--auth-source") && !o.containsKey("--auth-plugin")) {
            throw ConfigError.at(o.get("--auth-source").source, "--auth-source needs --auth-plugin");
        }
        if (o.containsKey("--token-source") && !o.containsKey("--token-plugin")) {
            throw ConfigError.at(o.get("--token-source").source, "--token-source needs --token-plugin");
        }
        if (o.containsKey("--host-token") && !o.containsKey("--token-plugin") && !o.containsKey("--target-config")) {
            throw ConfigError.at(o.get("--host-token").source, "--host-token needs --token-plugin");
        }
        if (o.containsKey("--cafile") && !o.containsKey("--verify-client")) {
            throw ConfigError.at(o.get("--cafile").source, "--cafile is only used with --verify-client");
        }

        // [source_addr:]source_port
        if (positional.isEmpty()) {
            throw ConfigError.at("websockify", "too few arguments: expected [source_addr:]source_port "
                    + "[target_addr:target_port] (see websockify --help)");
        }
        Given source = positional.get(0);
        int colon = source.value.lastIndexOf(':');
        String host = colon >= 0 ? strip(source.value.substring(0, colon)) : "";
        String port = colon >= 0 ? source.value.substring(colon + 1) : source.value;
        spec.listen = new Setting("listen", host.isEmpty() ? LaunchSpec.DEFAULT_LISTEN : host, source.source);
        spec.port = new Setting("port", port, source.source);

        // the target: one peer, a unix socket or a token plugin
        boolean tokens = o.containsKey("--token-plugin") || o.containsKey("--target-config");
        boolean unix = o.containsKey("--unix-target");
        if (tokens && unix) {
            throw ConfigError.at(o.get("--unix-target").source, "--unix-target and a token plugin exclude each other");
        }
        int targets = tokens || unix ? 0 : 1;
        if (positional.size() > 1 + targets) {
            Given extra = positional.get(1 + targets);
            throw ConfigError.at(extra.source, "too many arguments"
                    + (targets == 0 ? " (no target_addr:target_port with --unix-target or a token plugin)" : ""));
        }
        if (o.containsKey("--heartbeat")) {
            Given h = o.get("--heartbeat");
            spec.ping = new Setting("ping", h.value, h.source);
        } else { // websockify sends no pings unless --heartbeat
            spec.ping = new Setting("ping", "0", "websockify (no --heartbeat)");
        }
        if (tokens) {
            tokenBackend(spec, o);
        } else {
            spec.backend = new Setting("backend", "default", "websockify");
            Given target;
            String peer;
            if (unix) {
                target = o.get("--unix-target");
                if (target.value.isEmpty()) {
                    throw ConfigError.of(target.source, "--unix-target", target.value, "empty path");
                }
                peer = "unix://" + Path.of(target.value).toAbsolutePath().normalize();
            } else {
                if (positional.size() < 2) {
                    throw ConfigError.at("websockify", "too few arguments: expected [source_addr:]source_port "
                            + "target_addr:target_port (or --unix-target FILE, or --token-plugin)");
                }
                target = positional.get(1);
                int c = target.value.lastIndexOf(':');
                if (c < 0) {
                    throw ConfigError.of(target.source, "target", target.value, "expected target_addr:target_port");
                }
                String th = strip(target.value.substring(0, c));
                String tp = target.value.substring(c + 1);
                if (th.isEmpty()) {
                    throw ConfigError.of(target.source, "target", target.value, "empty target_addr");
                }
                if (!isPort(tp)) {
                    throw ConfigError.of(target.source, "target", target.value, "not a port number (expected 1-65535)");
                }
                peer = "tcp://" + (th.indexOf(':') >= 0 ? "[" + th + "]" : th) + ":" + tp;
            }
            spec.options.add(new Setting("host", peer, target.source));
            spec.options.add(new Setting("framing", "binary", "websockify (binary messages)"));
            spec.options.add(new Setting("protocol", "binary", "websockify (subprotocol binary when offered)"));
        }

        // TLS
        boolean sslOnly = o.containsKey("--ssl-only");
        if (o.containsKey("--cert") || sslOnly || o.containsKey("--key")) {
            Given cert = o.containsKey("--cert") ? o.get("--cert")
                    : new Given("self.pem", "websockify (--ssl-only without --cert: self.pem)");
            Given key = o.containsKey("--key") ? o.get("--key") : new Given(cert.value, cert.source + " (key in the same file)");
            if (!o.containsKey("--cert") && !sslOnly) {
                throw ConfigError.at(key.source, "--key needs --cert (or --ssl-only with self.pem)");
            }
            spec.listenerOptions.add(new Setting("tls-certificate", absolute(cert.value), cert.source));
            spec.listenerOptions.add(new Setting("tls-key", absolute(key.value), key.source));
            if (o.containsKey("--verify-client")) {
                Given ca = o.get("--cafile");
                if (ca == null) {
                    throw ConfigError.at(o.get("--verify-client").source, "--verify-client needs --cafile here "
                            + "(websocksy does not fall back to the system's CA list for client certificates)");
                }
                spec.listenerOptions.add(new Setting("tls-client-ca", absolute(ca.value), ca.source));
            }
        } else if (o.containsKey("--verify-client")) {
            throw ConfigError.at(o.get("--verify-client").source, "--verify-client needs TLS (--cert)");
        }
        if (o.containsKey("--ssl-version")) {
            Given v = o.get("--ssl-version");
            switch (v.value) {
                case "default":
                case "tlsv1_1":
                case "tlsv1_2":
                    break; // websocksy speaks TLS 1.2 and 1.3: the minimum asked for holds
                case "tlsv1_3":
                    throw ConfigError.at(v.source, "websockify option --ssl-version tlsv1_3 is not supported: "
                            + "websocksy always allows TLS 1.2 and 1.3");
                default:
                    throw ConfigError.of(v.source, "--ssl-version", v.value,
                            "invalid choice (choose from default, tlsv1_1, tlsv1_2, tlsv1_3)");
            }
        }

        // static files: websockify lists directories (SimpleHTTPRequestHandler), so web-listing is on
        if (o.containsKey("--web")) {
            Given w = o.get("--web");
            spec.listenerOptions.add(new Setting("web", absolute(w.value), w.source));
            spec.listenerOptions.add(new Setting("web-listing", "true", w.source + " (websockify lists directories)"));
        }

        // auth plugins: only ExpectOrigin has an equivalent
        if (o.containsKey("--auth-plugin")) {
            Given ap = o.get("--auth-plugin");
            String cls = ap.value.startsWith("websockify.auth_plugins.")
                    ? ap.value.substring("websockify.auth_plugins.".length()) : ap.value;
            if (!cls.equals("ExpectOrigin")) {
                throw ConfigError.at(ap.source, "websockify option --auth-plugin " + ap.value + " is not supported: "
                        + "only ExpectOrigin has an equivalent (allowed-origins)");
            }
            Given src = o.get("--auth-source");
            String origins = src == null ? "" : String.join(",", src.value.trim().split("\\s+"));
            if (origins.isEmpty()) {
                throw ConfigError.at(ap.source, "--auth-plugin ExpectOrigin needs --auth-source 'ORIGIN ...' "
                        + "(it would refuse every client)");
            }
            spec.listenerOptions.add(new Setting("allowed-origins", origins, src.source));
            spec.listenerOptions.add(new Setting("allow-missing-origin", "false", ap.source));
        }

        if (spec.verbose) {
            spec.listenerOptions.add(new Setting("access-log", "true", o.get("--verbose").source));
        }

        // when the process ends by itself
        for (String n : List.of("--idle-timeout", "--timeout")) {
            if (o.containsKey(n)) {
                Given g = o.get(n);
                if (!isNumber(g.value)) {
                    throw ConfigError.of(g.source, n, g.value, "not a whole number of seconds");
                }
                if (Integer.parseInt(g.value) > 0) {
                    spec.exitWhen.add(new Setting(n.substring(2), g.value, g.source));
                }
            }
        }
        if (o.containsKey("--run-once")) {
            Given g = o.get("--run-once");
            spec.exitWhen.add(new Setting("run-once", "true", g.source));
            spec.listenerOptions.add(new Setting("max-connections", "1", g.source));
        }
        // --prefer-ipv6 and --libserver: accepted, nothing to choose (documented in the README)
        return spec;
    }

    private static void tokenBackend(LaunchSpec spec, Map<String, Given> o) throws ConfigError {
        Given plugin = o.containsKey("--token-plugin") ? o.get("--token-plugin") : null;
        Given src = o.get("--token-source");
        String cls;
        if (plugin == null) { // --target-config FILE: TokenFile FILE
            cls = "TokenFile";
            src = o.get("--target-config");
            plugin = src;
        } else {
            if (o.containsKey("--target-config")) {
                throw ConfigError.at(o.get("--target-config").source, "--target-config and --token-plugin exclude "
                        + "each other (--target-config is TokenFile)");
            }
            cls = plugin.value.startsWith("websockify.token_plugins.")
                    ? plugin.value.substring("websockify.token_plugins.".length()) : plugin.value;
        }
        if (src == null || src.value.isEmpty()) {
            throw ConfigError.at(plugin.source, "--token-plugin " + plugin.value + " needs --token-source");
        }
        String token = o.containsKey("--host-token") ? "header:Host" : "query:token";
        String tokenSource = o.containsKey("--host-token") ? o.get("--host-token").source : "websockify (?token=)";
        switch (cls) {
            case "TokenFile":
            case "ReadOnlyTokenFile":
                spec.backend = new Setting("backend", "token", plugin.source);
                spec.options.add(new Setting("source", absolute(src.value), src.source));
                spec.options.add(new Setting("token", token, tokenSource));
                spec.options.add(new Setting("framing", "binary", "websockify (binary messages)"));
                spec.options.add(new Setting("protocol", "binary", "websockify (subprotocol binary when offered)"));
                break;
            case "TokenRedis": {
                spec.backend = new Setting("backend", "redis", plugin.source);
                Redis r = redis(src.value, src.source);
                spec.options.add(new Setting("uri", r.uri, src.source));
                if (!r.keyPrefix.isEmpty()) {
                    spec.options.add(new Setting("key-prefix", r.keyPrefix, src.source));
                }
                spec.options.add(new Setting("token", token, tokenSource));
                spec.options.add(new Setting("framing", "binary", "websockify (binary messages)"));
                spec.options.add(new Setting("protocol", "binary", "websockify (subprotocol binary when offered)"));
                break;
            }
            case "JWTTokenApi":
                spec.backend = new Setting("backend", "jwt", plugin.source);
                spec.options.add(new Setting("key", absolute(src.value), src.source));
                spec.options.add(new Setting("token", token, tokenSource));
                break;
            default:
                throw ConfigError.at(plugin.source, "websockify option --token-plugin " + plugin.value
                        + " is not supported: websocksy has TokenFile, ReadOnlyTokenFile, TokenRedis and JWTTokenApi "
                        + "(token, Redis and JWT backends)");
        }
    }

    /** A TokenRedis source as a Redis URI and a key prefix. */
    static final class Redis {
        final String uri;
        final String keyPrefix;

        Redis(String uri, String keyPrefix) {
            this.uri = uri;
            this.keyPrefix = keyPrefix;
        }
    }

    /**
     * websockify's TokenRedis source, {@code host[:port[:db[:password[:namespace]]]]} (0.10 knew only
     * {@code host:port}; a field may be wrapped in double quotes to hold colons; empty port and db take
     * 6379 and 0), as {@code redis://[:password@]host:port/db} and the key prefix {@code namespace:}.
     */
    static Redis redis(String source, String where) throws ConfigError {
        List<String> f = splitSource(source);
        if (f.isEmpty() || f.size() > 5 || f.get(0).isEmpty()) {
            throw ConfigError.of(where, "--token-source", source,
                    "expected <host>[:<port>[:<db>[:<password>[:<namespace>]]]] for TokenRedis");
        }
        String host = f.get(0);
        String port = f.size() > 1 && !f.get(1).isEmpty() ? f.get(1) : "6379";
        String db = f.size() > 2 && !f.get(2).isEmpty() ? f.get(2) : "0";
        String password = f.size() > 3 ? f.get(3) : "";
        String namespace = f.size() > 4 ? f.get(4) : "";
        if (!isPort(port)) {
            throw ConfigError.of(where, "--token-source", source, "Redis port '" + port + "' is not a port number");
        }
        if (!isNumber(db)) {
            throw ConfigError.of(where, "--token-source", source, "Redis db '" + db + "' is not a number");
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String auth = password.isEmpty() ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                .replace("+", "%20") + "@";
        return new Redis("redis://" + auth + h + ":" + port + "/" + db, namespace.isEmpty() ? "" : namespace + ":");
    }

    /** websockify's parse_source_args: split at colons, a field in double quotes may hold colons. */
    static List<String> splitSource(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (true) {
            if (i < s.length() && s.charAt(i) == '"') {
                int close = s.indexOf('"', i + 1);
                if (close > i + 1 && (close + 1 == s.length() || s.charAt(close + 1) == ':')) {
                    out.add(s.substring(i + 1, close));
                    i = close + 1;
                    if (i == s.length()) {
                        return out;
                    }
                    i++; // the colon
                    continue;
                }
            }
            int c = s.indexOf(':', i);
            if (c < 0) {
                out.add(s.substring(i));
                return out;
            }
            out.add(s.substring(i, c));
            i = c + 1;
        }
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
                : host.replace("[", "").replace("]", "");
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String s) {
        return isNumber(s) && Integer.parseInt(s) >= 1 && Integer.parseInt(s) <= 65_535;
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    /** @return the usage text of {@code websocksy websockify --help} */
    public static String usage() {
        return String.join("\n",
                "Usage: websocksy websockify [options] [source_addr:]source_port [target_addr:target_port]",
                "       websocksy websockify [options] [source_addr:]source_port --unix-target FILE",
                "       websocksy websockify [options] [source_addr:]source_port --token-plugin CLASS --token-source ARG",
                "",
                "websockify 0.10's command line, run by websocksy (see README, \"Coming from websockify\").",
                "",
                "Options:",
                "  -v, --verbose          debug logging and one access-log line per connection",
                "  --web DIR              serve files from DIR on the same port (directory listings on)",
                "  --cert FILE            TLS certificate chain (PEM); the listener then speaks wss:// only",
                "  --key FILE             TLS private key (PKCS#8 PEM; default: in the --cert file)",
                "  --ssl-only             TLS only (self.pem when --cert is not given)",
                "  --verify-client        require a client certificate signed by --cafile",
                "  --cafile FILE          CA certificates for --verify-client",
                "  --ssl-version V        default, tlsv1_1 or tlsv1_2 (websocksy speaks TLS 1.2 and 1.3)",
                "  --unix-target FILE     bridge to the unix socket FILE",
                "  --heartbeat N          ping every N seconds (default: no pings)",
                "  --idle-timeout N       exit after N seconds without an open connection",
                "  --timeout N            exit after N seconds from start once no connection is open",
                "  --run-once             bridge one connection, then exit",
                "  --token-plugin CLASS   TokenFile, ReadOnlyTokenFile, TokenRedis or JWTTokenApi",
                "  --token-source ARG     the plugin's file, Redis host[:port[:db[:password[:namespace]]]] or key file",
                "  --target-config FILE   same as --token-plugin TokenFile --token-source FILE",
                "  --host-token           the token is the Host header instead of ?token=",
                "  --auth-plugin ExpectOrigin --auth-source 'ORIGIN ...'   allowed origins",
                "  -6, --prefer-ipv6, --libserver   accepted (websocksy binds dual stack, one engine)",
                "  -h, --help             print this text",
                "",
                "Not supported (an error naming the option, exit status 2): --traffic, --record, -D/--daemon,",
                "--key-password, --ssl-target, --ssl-ciphers, --inetd, --web-auth, --wrap-mode and '--' programs,",
                "--log-file, --syslog, --legacy-syslog, --auth-plugin other than ExpectOrigin, --token-plugin",
                "other than the four above, --ssl-version tlsv1_3.",
                "");
    }

    /** For tests and messages: the long option names known, in websockify's order. */
    static List<String> optionNames() {
        List<String> names = new ArrayList<>();
        for (Option o : LONG.values()) {
            names.add(o.name);
        }
        return names;
    }
}
