package io.websocksy.launcher;

import java.nio.file.Path;

/**
 * The C websocksy's command line: {@code -p port}, {@code -l host}, {@code -k ping}, {@code -b backend},
 * {@code -c key=value} (repeatable, applied in order to the backend selected at that point; a later
 * {@code -b} starts the backend's options afresh), {@code -h}/{@code --help}; or a single argument, the
 * original's INI configuration file. No arguments at all: the {@code .cfg} files of the deploy directory
 * configure everything, as before.
 *
 * <p>A flag's value may follow it ({@code -p 8001}) or be attached ({@code -p8001}), as with getopt. A later
 * {@code -p}, {@code -l} or {@code -k} replaces an earlier one.
 */
public final class Arguments {
    /** What the process was asked to do. */
    public enum Mode {
        /** print the usage and exit 0 */
        HELP,
        /** print the version and exit 0 */
        VERSION,
        /** no arguments: configuration from the deploy directory's .cfg files */
        DEPLOY_DIRECTORY,
        /** a listener and a backend from the command line or an INI file */
        SPEC
    }

    private final Mode mode;
    private final LaunchSpec spec;
    private Path etc;
    private Path data;

    private Arguments(Mode mode, LaunchSpec spec) {
        this.mode = mode;
        this.spec = spec;
    }

    /**
     * @param spec a validated spec from another command-line dialect ({@link WebsockifyArguments})
     * @return arguments in mode {@link Mode#SPEC}, or {@link Mode#HELP} when spec is null
     */
    static Arguments of(LaunchSpec spec) {
        return spec == null ? new Arguments(Mode.HELP, null) : new Arguments(Mode.SPEC, spec);
    }

    /** @return the configuration directory given with {@code --etc DIR}, or null */
    public Path etc() {
        return etc;
    }

    /** @return the state directory given with {@code --data DIR}, or null */
    public Path data() {
        return data;
    }

    /** @return the mode */
    public Mode mode() {
        return mode;
    }

    /** @return the validated spec in mode {@link Mode#SPEC}, else null */
    public LaunchSpec spec() {
        return spec;
    }

    /**
     * @param args the process arguments
     * @return what to do
     * @throws ConfigError on the first bad argument, or bad value in the INI file
     */
    public static Arguments parse(String... args) throws ConfigError {
        // the distribution's own options (--etc DIR, --data DIR, --version) may stand anywhere; the rest is the
        // C websocksy's command line
        java.util.List<String> rest = new java.util.ArrayList<>();
        Path etc = null;
        Path data = null;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (a.equals("--version")) {
                version = true;
            } else if (name.equals("--etc") || name.equals("--data")) {
                String value;
                if (a.length() > name.length()) {
                    value = a.substring(name.length() + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw ConfigError.at("argument " + (i + 1), "option " + name + " needs a directory (see --help)");
                }
                if (value.isEmpty()) {
                    throw ConfigError.at("argument " + (i + 1) + " (" + name + ")", "empty directory name");
                }
                if (name.equals("--etc")) {
                    etc = Path.of(value);
                } else {
                    data = Path.of(value);
                }
            } else {
                rest.add(a);
            }
        }
        Arguments parsed = version && !rest.contains("-h") && !rest.contains("--help")
                ? new Arguments(Mode.VERSION, null) : parseC(rest.toArray(new String[0]));
        parsed.etc = etc;
        parsed.data = data;
        return parsed;
    }

    private static Arguments parseC(String... args) throws ConfigError {
        if (args.length == 0) {
            return new Arguments(Mode.DEPLOY_DIRECTORY, null);
        }
        if (args.length == 1 && !args[0].startsWith("-")) {
            if (args[0].isEmpty()) {
                throw ConfigError.at("argument 1", "empty configuration file name");
            }
            return new Arguments(Mode.SPEC, IniFile.read(Path.of(args[0]), args[0]).validate());
        }
        LaunchSpec spec = new LaunchSpec();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                return new Arguments(Mode.HELP, null);
            }
            if (a.length() < 2 || a.charAt(0) != '-' || a.startsWith("--")) {
                if (a.startsWith("--")) {
                    throw ConfigError.at("argument " + (i + 1), "unknown option '" + a + "' (see --help)");
                }
                throw ConfigError.at("argument " + (i + 1), "unexpected argument '" + a
                        + "' (a configuration file must be the only argument; see --help)");
            }
            char flag = a.charAt(1);
            if ("plkbc".indexOf(flag) < 0) {
                throw ConfigError.at("argument " + (i + 1), "unknown option '" + a + "' (see --help)");
            }
            String value;
            int valueIndex;
            if (a.length() > 2) {
                value = a.substring(2);
                valueIndex = i;
            } else if (i + 1 < args.length) {
                value = args[++i];
                valueIndex = i;
            } else {
                throw ConfigError.at("argument " + (i + 1), "option -" + flag + " needs a value (see --help)");
            }
            String source = "argument " + (valueIndex + 1) + " (-" + flag + " " + value + ")";
            switch (flag) {
                case 'p':
                    spec.port = new Setting("port", value, source);
                    break;
                case 'l':
                    spec.listen = new Setting("listen", value, source);
                    break;
                case 'k':
                    spec.ping = new Setting("ping", value, source);
                    break;
                case 'b':
                    spec.backend = new Setting("backend", value, source);
                    spec.options.clear();
                    break;
                default: // 'c'
                    int eq = value.indexOf('=');
                    if (eq < 0) {
                        throw ConfigError.at(source, "expected -c option=value, got '" + value + "'");
                    }
                    if (eq == 0) {
                        throw ConfigError.at(source, "empty option name in '" + value + "'");
                    }
                    spec.options.add(new Setting(value.substring(0, eq), value.substring(eq + 1), source));
                    break;
            }
        }
        return new Arguments(Mode.SPEC, spec.validate());
    }

    /**
     * @param home the websocksy home, shown in the text
     * @return the usage text
     */
    public static String usage(String home) {
        return String.join("\n",
                "Usage: websocksy [-p port] [-l host] [-k seconds] [-b backend] [-c option=value]...",
                "       websocksy <configuration.ini>",
                "       websocksy",
                "       websocksy -h|--help|--version",
                "Any of these may also take --etc DIR and --data DIR.",
                "",
                "Bridges WebSocket clients to TCP, UDP and Unix-socket peers.",
                "",
                "The C websocksy's command line:",
                "  -p port           port to listen on (default 8001)",
                "  -l host           address to listen on (default ::, every IPv6 and IPv4 address)",
                "  -k seconds        keep-alive ping interval, 0 = off (default 30)",
                "  -b backend        backend type: default (one peer for all) or file (default: default)",
                "  -c option=value   a backend option, repeatable, applied in order to the backend chosen",
                "                    so far; a later -b starts the options afresh. Default backend options:",
                "                    host, port, framing, framing-config, protocol; file backend: path,",
                "                    expression (repeat it for several)",
                "  -h, --help        print this text",
                "  --version         print the version and exit",
                "  --etc DIR         configuration directory, watched like the deploy directory (default",
                "                    $WEBSOCKSY_ETC, else " + home + "/etc): .cfg files, org.ops4j.pax.logging.cfg",
                "  --data DIR        state directory (default $WEBSOCKSY_DATA): the bundle cache is DIR/cache",
                "                    and only one websocksy may use DIR; without it a private temporary cache",
                "",
                "A single argument is the C websocksy's INI file: [core] port, listen, ping, backend;",
                "[backend] the backend's options (repeated keys accumulate). # and ; start comments.",
                "",
                "Bad options are reported before anything listens, naming the argument or file:line,",
                "and websocksy exits with status 2 (1 when the port cannot be bound).",
                "",
                "Without arguments the .cfg files in the configuration directory (--etc) and in",
                home + "/deploy (or $WEBSOCKSY_DEPLOY) configure websocksy and are applied live when",
                "edited; the defaults in " + home + "/etc listen on [::]:8001 and bridge every client to",
                "tcp://localhost:5900. With arguments the websocksy.*.cfg files are not used (plug-in jars",
                "and org.ops4j.pax.logging.cfg still are).",
                "",
                "With a terminal on stdin an interactive Felix (Gogo) shell runs; type 'help'. Ctrl-C,",
                "Ctrl-D or 'stop 0' stop websocksy. Without a terminal it runs headless; SIGTERM or SIGINT",
                "stop it cleanly.",
                "",
                "Environment:",
                "  JAVA_HOME         Java 17+ installation (default: java on PATH)",
                "  JAVA_OPTS         JVM flags, after (and so overriding) the defaults in bin/websocksy",
                "  WEBSOCKSY_OPTS    extra JVM flags for websocksy, e.g. -Dfelix.log.level=2",
                "  WEBSOCKSY_DEPLOY  watch this deploy directory instead of " + home + "/deploy",
                "  WEBSOCKSY_ETC     the configuration directory (see --etc)",
                "  WEBSOCKSY_DATA    the state directory (see --data)",
                "  WEBSOCKSY_LOGS    directory for log files (default " + home + "/log)",
                "");
    }
}
