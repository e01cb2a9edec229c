package io.websocksy.bridge.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The metatype of a listener (factory PID {@value #PID}), and the one place its defaults and ranges are
 * written: {@link ListenerSettings} reads both from here (SPEC 6 and 9).
 */
@ObjectClassDefinition(id = ListenerConfig.PID, name = "websocksy listener",
        description = "A WebSocket listener: address, keep-alive, backend and limits.")
public @interface ListenerConfig {
    /** Factory configuration PID. */
    String PID = "websocksy.listener";

    /** @return listen address */
    @AttributeDefinition(name = "Listen address", description = "Address to bind; :: is dual-stack (IPv4 too).")
    String listen() default "::";

    /** @return port */
    @AttributeDefinition(name = "Port", min = "0", max = "65535", description = "TCP port of the WebSocket "
            + "listener; 0 binds any free port (the log names it).")
    int port() default 8001;

    /** @return ping */
    @AttributeDefinition(name = "Ping interval (s)", min = "0", max = "86400", description = "Send a ping after this many "
            + "seconds without traffic from the client; close when the next interval passes silently. 0 = off.")
    int ping() default 30;

    /** @return backend */
    @AttributeDefinition(name = "Backend", description = "Name of the backend instance that routes this "
            + "listener's connections; 503 while none of that name runs.")
    String backend() default "main";

    /** @return handshake timeout */
    @AttributeDefinition(name = "Handshake timeout (s)", min = "1", max = "3600", description = "Counted from TCP accept.")
    int handshake$_$timeout() default 10;

    /** @return max request line */
    @AttributeDefinition(name = "Max request line (bytes)", min = "64", max = "1048576", description = "Longer: 414.")
    int max$_$request$_$line() default 4096;

    /** @return max header size */
    @AttributeDefinition(name = "Max header section (bytes)", min = "256", max = "1048576", description = "Larger: 431.")
    int max$_$header$_$size() default 8192;

    /** @return max headers */
    @AttributeDefinition(name = "Max header fields", min = "8", max = "10000", description = "More: 431.")
    int max$_$headers() default 100;

    /** @return max frame */
    @AttributeDefinition(name = "Max frame payload (bytes)", min = "125", max = "2147483647", description = "Checked from the "
            + "frame header; larger: close 1009.")
    int max$_$frame$_$size() default 1048576;

    /** @return max message */
    @AttributeDefinition(name = "Max message (bytes)", min = "1024", max = "2147483647", description = "Messages held whole "
            + "(datagram peers) and the peer-side framer buffer; larger: close 1009.")
    int max$_$message$_$size() default 1048576;

    /** @return connect timeout */
    @AttributeDefinition(name = "Connect timeout (s)", min = "1", max = "3600", description = "Route look-up, DNS and peer "
            + "connect; longer: 504.")
    int connect$_$timeout() default 10;

    /** @return max subprotocols */
    @AttributeDefinition(name = "Max subprotocols offered", min = "1", max = "1024", description = "More distinct "
            + "Sec-WebSocket-Protocol tokens in one request: 400.")
    int max$_$subprotocols() default 32;

    /** @return write timeout */
    @AttributeDefinition(name = "Write stall timeout (s)", min = "1", max = "86400", description = "A side that stays "
            + "unwritable this long is closed with 1001.")
    int write$_$timeout() default 60;

    /** @return allowed origins */
    @AttributeDefinition(name = "Allowed origins", description = "Origins allowed to open a WebSocket: full "
            + "origins (https://app.example.com) or host patterns (example.com, *.example.com); another Origin "
            + "gets 403 and the peer is never contacted. Empty: any origin.")
    String[] allowed$_$origins() default {};

    /** @return allow missing origin */
    @AttributeDefinition(name = "Allow missing Origin", description = "With allowed-origins set: whether a "
            + "request without an Origin header (a non-browser client) is accepted; false gives 403.")
    boolean allow$_$missing$_$origin() default true;

    /** @return same origin */
    @AttributeDefinition(name = "Allow same origin", description = "Also accept an Origin whose host and port "
            + "are the request's own Host (pages served from this address); with an empty allowed-origins only "
            + "those pass.")
    boolean same$_$origin() default false;

    /** @return max connections */
    @AttributeDefinition(name = "Max connections", min = "0", max = "2147483647", description = "Connections this listener serves at "
            + "once (counted from a valid request until close); more get 503 with Retry-After. 0 = unlimited.")
    int max$_$connections() default 0;

    /** @return max connections per IP */
    @AttributeDefinition(name = "Max connections per client IP", min = "0", max = "2147483647", description = "Per real client "
            + "address (after trusted-proxies); more get 503 with Retry-After. 0 = unlimited.")
    int max$_$connections$_$per$_$ip() default 0;

    /** @return retry after */
    @AttributeDefinition(name = "Retry-After (s)", min = "1", max = "86400", description = "Retry-After of the "
            + "503 sent when a connection limit is reached.")
    int retry$_$after() default 5;

    /** @return allowed peers */
    @AttributeDefinition(name = "Allowed peers", description = "Where routes may connect: ip[:port], "
            + "CIDR[:port], [ipv6-CIDR]:port, host:port, *.domain:port, port ranges lo-hi, tcp:// or udp:// "
            + "prefix, unix:/directory. Checked on the resolved address, which is the one connected; others "
            + "get 403. Empty: any peer.")
    String[] allowed$_$peers() default {};

    /** @return trusted proxies */
    @AttributeDefinition(name = "Trusted proxies", description = "IPs and CIDR ranges of reverse proxies whose "
            + "Forwarded / X-Forwarded-For headers and PROXY protocol headers are believed. Empty: none.")
    String[] trusted$_$proxies() default {};

    /** @return proxy protocol */
    @AttributeDefinition(name = "PROXY protocol", description = "off, v1, v2 or any: trusted proxies must "
            + "send a PROXY header of that version; a PROXY header from any other address closes the "
            + "connection. Needs trusted-proxies.", options = {
                @Option(value = "off"),
                @Option(value = "v1"),
                @Option(value = "v2"),
                @Option(value = "any")})
    String proxy$_$protocol() default "off";

    /** @return TLS certificate */
    @AttributeDefinition(name = "TLS certificate chain", required = false, description = "PEM file, leaf "
            + "first; with tls-key the listener speaks wss:// (TLS 1.2 and 1.3). Empty: plain ws://.")
    String tls$_$certificate() default "";

    /** @return TLS key */
    @AttributeDefinition(name = "TLS private key", required = false, description = "PEM PKCS#8 (BEGIN PRIVATE "
            + "KEY), RSA, EC or EdDSA, unencrypted.")
    String tls$_$key() default "";

    /** @return TLS client CA */
    @AttributeDefinition(name = "TLS client CA bundle", required = false, description = "PEM CA certificates; "
            + "when set, clients must present a certificate they signed. Empty: no client certificates.")
    String tls$_$client$_$ca() default "";

    /** @return TLS reload interval */
    @AttributeDefinition(name = "TLS reload check (s)", min = "0", max = "86400", description = "How often the "
            + "TLS files are checked for changes; new connections get the new certificate. 0 = never.")
    int tls$_$reload$_$interval() default 10;

    /** @return TLS provider */
    @AttributeDefinition(name = "TLS provider", description = "auto (OpenSSL via netty-tcnative when "
            + "installed, else the JDK), jdk or openssl.", options = {
                @Option(value = "auto"),
                @Option(value = "jdk"),
                @Option(value = "openssl")})
    String tls$_$provider() default "auto";

    /** @return access log */
    @AttributeDefinition(name = "Access log", description = "One line per connection at close on the logger "
            + "io.websocksy.access (replaces the close line of io.websocksy.connection).")
    boolean access$_$log() default false;

    /** @return access log format */
    @AttributeDefinition(name = "Access log format", description = "text or json (one object per line).",
            options = {
                @Option(value = "text"),
                @Option(value = "json")})
    String access$_$log$_$format() default "text";
}
