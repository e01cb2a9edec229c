package io.websocksy.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** websockify 0.10's command line onto the listener and backend configurations. */
class WebsockifyArgumentsTest {
    private static LaunchSpec spec(String... args) throws ConfigError {
        String[] all = new String[args.length + 1];
        all[0] = "websockify";
        System.arraycopy(args, 0, all, 1, args.length);
        Arguments a = WebsockifyArguments.parse(all);
        assertEquals(Arguments.Mode.SPEC, a.mode());
        return a.spec();
    }

    private static String error(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "websockify";
        System.arraycopy(args, 0, all, 1, args.length);
        return assertThrows(ConfigError.class, () -> WebsockifyArguments.parse(all)).getMessage();
    }

    private static Map<String, String> map(List<Setting> settings) {
        Map<String, String> m = new LinkedHashMap<>();
        settings.forEach(s -> m.put(s.key(), s.value()));
        return m;
    }

    private static String abs(String p) {
        return Path.of(p).toAbsolutePath().normalize().toString();
    }

    @Test
    void noVncOneLiner() throws Exception {
        LaunchSpec s = spec("--web", "/usr/share/novnc", "6080", "localhost:5900");
        assertEquals("::", s.listen().value());
        assertEquals("6080", s.port().value());
        assertEquals("0", s.ping().value(), "websockify sends no pings without --heartbeat");
        assertEquals("default", s.backend().value());
        assertEquals(Map.of("host", "tcp://localhost:5900", "framing", "binary", "protocol", "binary"), map(s.options()));
        assertEquals(Map.of("web", "/usr/share/novnc", "web-listing", "true"), map(s.listenerOptions()));
        assertEquals(List.of(), s.exitWhen());
        assertEquals("argument 3 (--web /usr/share/novnc)", s.listenerOptions().get(0).source(), "the value's argument");
    }

    @Test
    void addressesAndIpv6() throws Exception {
        LaunchSpec s = spec("127.0.0.1:6080", "[::1]:5901");
        assertEquals("127.0.0.1", s.listen().value());
        assertEquals("tcp://[::1]:5901", map(s.options()).get("host"));
        LaunchSpec v6 = spec("[::1]:6080", "::1:5901");
        assertEquals("::1", v6.listen().value());
        assertEquals("tcp://[::1]:5901", map(v6.options()).get("host"));
        assertEquals("::", spec(":6080", "h:1").listen().value(), "empty source_addr: every address");
        assertEquals("tcp://vnc.internal:5900", map(spec("6080", "vnc.internal:5900").options()).get("host"));
    }

    @Test
    void optionSpellings() throws Exception {
        LaunchSpec s = spec("--heartbeat=15", "-v", "--idle-t", "30", "6080", "h:1");
        assertEquals("15", s.ping().value());
        assertTrue(s.verbose());
        assertEquals("true", map(s.listenerOptions()).get("access-log"));
        assertEquals(Map.of("idle-timeout", "30"), map(s.exitWhen()));
        assertTrue(spec("-v6", "6080", "h:1").verbose(), "clustered short flags");
        assertEquals(Arguments.Mode.HELP, WebsockifyArguments.parse("websockify", "--help").mode());
        assertEquals(Arguments.Mode.HELP, WebsockifyArguments.parse("websockify", "-h").mode());
    }

    @Test
    void tlsAndClientCertificates() throws Exception {
        LaunchSpec s = spec("--cert", "/etc/tls/full.pem", "--key", "/etc/tls/key.pem", "--ssl-only", "6080", "h:1");
        assertEquals(Map.of("tls-certificate", "/etc/tls/full.pem", "tls-key", "/etc/tls/key.pem"),
                map(s.listenerOptions()));
        LaunchSpec combined = spec("--cert", "both.pem", "6080", "h:1");
        assertEquals(abs("both.pem"), map(combined.listenerOptions()).get("tls-key"), "key in the cert file");
        LaunchSpec only = spec("--ssl-only", "6080", "h:1");
        assertEquals(abs("self.pem"), map(only.listenerOptions()).get("tls-certificate"));
        LaunchSpec mtls = spec("--cert", "/c.pem", "--verify-client", "--cafile", "/ca.pem", "6080", "h:1");
        assertEquals("/ca.pem", map(mtls.listenerOptions()).get("tls-client-ca"));
        assertTrue(error("--cert", "/c.pem", "--verify-client", "6080", "h:1").contains("--verify-client needs --cafile"));
        assertTrue(error("--verify-client", "--cafile", "/ca.pem", "6080", "h:1").contains("needs TLS"));
        spec("--cert", "/c.pem", "--ssl-version", "tlsv1_2", "6080", "h:1");
        assertTrue(error("--cert", "/c.pem", "--ssl-version", "tlsv1_3", "6080", "h:1")
                .contains("--ssl-version tlsv1_3 is not supported"));
        assertTrue(error("--ssl-version", "sslv3", "6080", "h:1").contains("invalid choice"));
    }

    @Test
    void unixTarget() throws Exception {
        LaunchSpec s = spec("--unix-target", "/run/vnc.sock", "6080");
        assertEquals("unix:///run/vnc.sock", map(s.options()).get("host"));
        assertTrue(error("--unix-target", "/run/vnc.sock", "6080", "h:1").startsWith("argument 5 (h:1): too many"));
    }

    @Test
    void tokenFiles() throws Exception {
        for (String plugin : List.of("TokenFile", "ReadOnlyTokenFile", "websockify.token_plugins.TokenFile")) {
            LaunchSpec s = spec("--token-plugin", plugin, "--token-source", "/etc/websockify/tokens", "6080");
            assertEquals("token", s.backend().value());
            assertEquals(Map.of("source", "/etc/websockify/tokens", "token", "query:token", "framing", "binary",
                    "protocol", "binary"), map(s.options()));
        }
        LaunchSpec legacy = spec("--target-config", "/etc/t.cfg", "--host-token", "6080");
        assertEquals("token", legacy.backend().value());
        assertEquals("header:Host", map(legacy.options()).get("token"));
        assertEquals("/etc/t.cfg", map(legacy.options()).get("source"));
    }

    @Test
    void tokenRedisSources() throws Exception {
        LaunchSpec s = spec("--token-plugin", "TokenRedis", "--token-source", "127.0.0.1:6379", "6080");
        assertEquals("redis", s.backend().value());
        assertEquals(Map.of("uri", "redis://127.0.0.1:6379/0", "token", "query:token", "framing", "binary",
                "protocol", "binary"), map(s.options()));
        assertEquals("redis://my-redis:6379/0", WebsockifyArguments.redis("my-redis", "x").uri);
        WebsockifyArguments.Redis full = WebsockifyArguments.redis("my-redis:6380:1:verysecret:my-app", "x");
        assertEquals("redis://:verysecret@my-redis:6380/1", full.uri);
        assertEquals("my-app:", full.keyPrefix);
        WebsockifyArguments.Redis pw = WebsockifyArguments.redis("my-redis:::p@ss w:rd", "x");
        assertEquals("redis://:p%40ss%20w@my-redis:6379/0", pw.uri, "password-only, encoded; rd is the namespace");
        assertEquals("rd:", pw.keyPrefix);
        WebsockifyArguments.Redis quoted = WebsockifyArguments.redis("h::::\"first-ns:second-ns\"", "x");
        assertEquals("redis://h:6379/0", quoted.uri);
        assertEquals("first-ns:second-ns:", quoted.keyPrefix);
        assertEquals(List.of("a", "b:c", "d"), WebsockifyArguments.splitSource("a:\"b:c\":d"));
        assertEquals(List.of("h", "", "", "pw"), WebsockifyArguments.splitSource("h:::pw"));
        for (String bad : List.of("h:port", "h:6379:x", "", "a:1:2:3:4:5", ":6379")) {
            assertThrows(ConfigError.class, () -> WebsockifyArguments.redis(bad, "argument 4"), bad);
        }
        assertTrue(error("--token-plugin", "TokenRedis", "--token-source", "h:notaport", "6080")
                .startsWith("argument 5 (--token-source h:notaport): --token-source = 'h:notaport': Redis port"));
    }

    @Test
    void jwt() throws Exception {
        LaunchSpec s = spec("--token-plugin", "JWTTokenApi", "--token-source", "/etc/jwt/pub.pem", "--host-token", "6080");
        assertEquals("jwt", s.backend().value());
        assertEquals(Map.of("key", "/etc/jwt/pub.pem", "token", "header:Host"), map(s.options()));
    }

    @Test
    void expectOrigin() throws Exception {
        LaunchSpec s = spec("--auth-plugin", "ExpectOrigin", "--auth-source", "https://a.example https://b.example",
                "6080", "h:1");
        assertEquals("https://a.example,https://b.example", map(s.listenerOptions()).get("allowed-origins"));
        assertEquals("false", map(s.listenerOptions()).get("allow-missing-origin"));
        assertTrue(error("--auth-plugin", "BasicHTTPAuth", "--auth-source", "u:p", "6080", "h:1")
                .contains("--auth-plugin BasicHTTPAuth is not supported"));
    }

    @Test
    void exitConditions() throws Exception {
        LaunchSpec s = spec("--run-once", "--timeout", "60", "6080", "h:1");
        assertEquals(Map.of("timeout", "60", "run-once", "true"), map(s.exitWhen()));
        assertEquals("1", map(s.listenerOptions()).get("max-connections"));
        assertEquals(List.of(), spec("--idle-timeout", "0", "6080", "h:1").exitWhen(), "0 = off, as websockify");
        assertTrue(error("--idle-timeout", "soon", "6080", "h:1").contains("not a whole number of seconds"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--traffic", "--record=/tmp/r", "--daemon", "-D", "--key-password=x", "--ssl-target",
        "--ssl-ciphers=HIGH", "--inetd", "--web-auth", "--wrap-mode=respawn", "--log-file=/tmp/l", "--syslog=/dev/log",
        "--legacy-syslog"})
    void unsupportedOptionsAreErrorsNamingThem(String option) {
        String msg = error(option, "6080", "h:1");
        String name = option.startsWith("--") ? option.split("=")[0] : option;
        assertTrue(msg.startsWith("argument 2: websockify option " + name), msg);
        assertTrue(msg.contains("is not supported: "), msg);
    }

    @Test
    void otherErrors() {
        assertEquals("argument 2: unknown websockify option '--nosuch' (see websockify --help)", error("--nosuch", "6080"));
        assertTrue(error("--ssl", "6080", "h:1").contains("ambiguous websockify option '--ssl'"));
        assertEquals("argument 2: option --web needs a value (see websockify --help)", error("--web"));
        assertTrue(error().startsWith("websockify: too few arguments"));
        assertTrue(error("6080").startsWith("websockify: too few arguments"));
        assertTrue(error("6080", "h:1", "extra").startsWith("argument 4 (extra): too many arguments"));
        assertEquals("argument 2 (abc): port = 'abc': not a port number (expected 1-65535)", error("abc", "h:1"));
        assertTrue(error("6080", "nohost").contains("expected target_addr:target_port"));
        assertTrue(error("6080", "h:99999").contains("not a port number"));
        assertTrue(error("--token-plugin", "TokenFile", "6080").contains("needs --token-source"));
        assertTrue(error("--token-plugin", "JSONTokenApi", "--token-source", "http://x/%s", "6080")
                .contains("--token-plugin JSONTokenApi is not supported"));
        assertTrue(error("--host-token", "6080", "h:1").contains("--host-token needs --token-plugin"));
        assertTrue(error("6080", "--", "x11vnc").contains("'--'"));
        assertTrue(error("--verbose=1", "6080", "h:1").contains("takes no value"));
    }

    @Test
    void everyWebsockifyOptionIsKnown() {
        // websockify 0.10's websocketproxy.py, in its order
        List<String> upstream = List.of("--verbose", "--traffic", "--record", "--daemon", "--run-once", "--timeout",
                "--idle-timeout", "--cert", "--key", "--key-password", "--ssl-only", "--ssl-target", "--verify-client",
                "--cafile", "--ssl-version", "--ssl-ciphers", "--unix-target", "--inetd", "--web", "--web-auth",
                "--wrap-mode", "--prefer-ipv6", "--libserver", "--target-config", "--token-plugin", "--token-source",
                "--host-token", "--auth-plugin", "--auth-source", "--heartbeat", "--log-file", "--syslog",
                "--legacy-syslog");
        List<String> known = WebsockifyArguments.optionNames();
        for (String o : upstream) {
            assertTrue(known.contains(o), o);
        }
        assertEquals(upstream.size() + 1, known.size(), "and --help");
    }

    @Test
    void specRoundTripsToTheAgent() throws Exception {
        LaunchSpec s = spec("--web", "/w", "--run-once", "6080", "h:1");
        Properties p = new Properties();
        p.load(new StringReader(s.encode()));
        assertEquals("3", p.getProperty("listeners"), "web, web-listing, max-connections");
        assertEquals("web", p.getProperty("listener.1.key"));
        assertEquals("/w", p.getProperty("listener.1.value"));
        assertEquals("1", p.getProperty("exits"));
        assertEquals("run-once", p.getProperty("exit.1.key"));
    }

    @Test
    void mainDispatchesAndPrintsTheWebsockifyUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"websockify", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: websocksy websockify [options]"));
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        int rc2 = Main.run(new String[] {"websockify", "--record", "/tmp/x", "6080", "h:1"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err2, true, StandardCharsets.UTF_8));
        assertEquals(2, rc2);
        String line = err2.toString(StandardCharsets.UTF_8).trim();
        assertTrue(line.startsWith("websocksy: argument 2: websockify option --record is not supported"), line);
        assertFalse(line.contains("\n"));
    }
}
