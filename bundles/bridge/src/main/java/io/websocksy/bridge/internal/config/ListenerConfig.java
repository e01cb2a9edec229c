package io.websocksy.bridge.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The metatype of a listener (factory PID {@value #PID}), and the one place its defaults and ranges are
 * written: {@link ListenerSettings} reads both from here (docs/behaviour.md#configuration, #security).
 */
@ObjectClassDefinition(id = ListenerConfig.PID, name = "websocksy listener",
        description = "A WebSocket listener: address, keep-alive, backend and limits.")
public @interface ListenerConfig {
    /** Factory configuration PID. */
    String PID = "websocksy.listener";

    // Defaults and ranges: the attributes below and ListenerSettings both take them from here.
    /** Default of {@code listen}. */
    String LISTEN = "::";
    /** {@code port}: default, least, greatest. */
    int PORT = 8001, PORT_MIN = 0, PORT_MAX = 65535;
    /** {@code ping}: default, least, greatest. */
    int PING = 30, PING_MIN = 0, PING_MAX = 86400;
    /** Default of {@code backend}. */
    String BACKEND = "main";
    /** {@code handshake-timeout}: default, least, greatest. */
    int HANDSHAKE_TIMEOUT = 10, HANDSHAKE_TIMEOUT_MIN = 1, HANDSHAKE_TIMEOUT_MAX = 3600;
    /** {@code max-request-line}: default, least, greatest. */
    int MAX_REQUEST_LINE = 4096, MAX_REQUEST_LINE_MIN = 64, MAX_REQUEST_LINE_MAX = 1 << 20;
    /** {@code max-header-size}: default, least, greatest. */
    int MAX_HEADER_SIZE = 8192, MAX_HEADER_SIZE_MIN = 256, MAX_HEADER_SIZE_MAX = 1 << 20;
    /** {@code max-headers}: default, least, greatest. */
    int MAX_HEADERS = 100, MAX_HEADERS_MIN = 8, MAX_HEADERS_MAX = 10000;
    /** {@code max-frame-size}: default, least, greatest. */
    int MAX_FRAME_SIZE = 1 << 20, MAX_FRAME_SIZE_MIN = 125, MAX_FRAME_SIZE_MAX = Integer.MAX_VALUE;
    /** {@code max-message-size}: default, least, greatest. */
    int MAX_MESSAGE_SIZE = 1 << 20, MAX_MESSAGE_SIZE_MIN = 1024, MAX_MESSAGE_SIZE_MAX = Integer.MAX_VALUE;
    /** {@code connect-timeout}: default, least, greatest. */
    int CONNECT_TIMEOUT = 10, CONNECT_TIMEOUT_MIN = 1, CONNECT_TIMEOUT_MAX = 3600;
    /** {@code write-timeout}: default, least, greatest. */
    int WRITE_TIMEOUT = 60, WRITE_TIMEOUT_MIN = 1, WRITE_TIMEOUT_MAX = 86400;
    /** {@code max-subprotocols}: default, least, greatest. */
    int MAX_SUBPROTOCOLS = 32, MAX_SUBPROTOCOLS_MIN = 1, MAX_SUBPROTOCOLS_MAX = 1024;
    /** Default of {@code allow-missing-origin}. */
    boolean ALLOW_MISSING_ORIGIN = true;
    /** Default of {@code same-origin}. */
    boolean SAME_ORIGIN = false;
    /** {@code max-connections}: default, least, greatest. */
    int MAX_CONNECTIONS = 0, MAX_CONNECTIONS_MIN = 0, MAX_CONNECTIONS_MAX = Integer.MAX_VALUE;
    /** {@code max-connections-per-ip}: default, least, greatest. */
    int MAX_CONNECTIONS_PER_IP = 0, MAX_CONNECTIONS_PER_IP_MIN = 0, MAX_CONNECTIONS_PER_IP_MAX = Integer.MAX_VALUE;
    /** {@code retry-after}: default, least, greatest. */
    int RETRY_AFTER = 5, RETRY_AFTER_MIN = 1, RETRY_AFTER_MAX = 86400;
    /** Default of {@code proxy-protocol}. */
    String PROXY_PROTOCOL = "off";
    /** Default of {@code tls-certificate}. */
    String TLS_CERTIFICATE = "";
    /** Default of {@code tls-key}. */
    String TLS_KEY = "";
    /** Default of {@code tls-client-ca}. */
    String TLS_CLIENT_CA = "";
    /** Default of {@code tls-provider}. */
    String TLS_PROVIDER = "auto";
    /** {@code tls-reload-interval}: default, least, greatest. */
    int TLS_RELOAD_INTERVAL = 10, TLS_RELOAD_INTERVAL_MIN = 0, TLS_RELOAD_INTERVAL_MAX = 86400;
    /** Default of {@code access-log}. */
    boolean ACCESS_LOG = false;
    /** Default of {@code access-log-format}. */
    String ACCESS_LOG_FORMAT = "text";
    /** Default of {@code web} (static files off). */
    String WEB = "";
    /** Default of {@code web-index}. */
    String WEB_INDEX = "index.html";
    /** Default of {@code web-listing}. */
    boolean WEB_LISTING = false;
    /** Default of {@code web-cache-control}. */
    String WEB_CACHE_CONTROL = "no-cache";
    /** Default of {@code compression}. */
    String COMPRESSION = "off";
    /** {@code compression-level}: default, least, greatest. */
    int COMPRESSION_LEVEL = 6, COMPRESSION_LEVEL_MIN = 1, COMPRESSION_LEVEL_MAX = 9;
    /** {@code compression-window-bits}: default, least, greatest. */
    int COMPRESSION_WINDOW_BITS = 15, COMPRESSION_WINDOW_BITS_MIN = 8, COMPRESSION_WINDOW_BITS_MAX = 15;
    /** Default of {@code compression-no-context-takeover}. */
    boolean COMPRESSION_NO_CONTEXT_TAKEOVER = false;
    /** {@code compression-min-size}: default, least, greatest. */
    int COMPRESSION_MIN_SIZE = 64, COMPRESSION_MIN_SIZE_MIN = 0, COMPRESSION_MIN_SIZE_MAX = Integer.MAX_VALUE;
    /** Default of {@code health-path} (off). */
    String HEALTH_PATH = "";

    /** @return listen address */
    @AttributeDefinition(name = "Listen address", description = "Address to bind; :: is dual-stack (IPv4 too).")
    String listen() default LISTEN;

    /** @return port */
    @AttributeDefinition(name = "Port",
            min = "" + PORT_MIN, max = "" + PORT_MAX,
            description = "TCP port of the WebSocket "
            + "listener; 0 binds any free port (the log names it).")
    int port() default PORT;

    /** @return ping */
    @AttributeDefinition(name = "Ping interval (s)",
            min = "" + PING_MIN, max = "" + PING_MAX,
            description = "Send a ping after this many "
            + "seconds without traffic from the client; close when the next interval passes silently. 0 = off.")
    int ping() default PING;

    /** @return backend */
    @AttributeDefinition(name = "Backend", description = "Name of the backend instance that routes this "
            + "listener's connections; 503 while none of that name runs.")
    String backend() default BACKEND;

    /** @return handshake timeout */
    @AttributeDefinition(name = "Handshake timeout (s)",
            min = "" + HANDSHAKE_TIMEOUT_MIN, max = "" + HANDSHAKE_TIMEOUT_MAX,
            description = "Counted from TCP accept.")
    int handshake$_$timeout() default HANDSHAKE_TIMEOUT;

    /** @return max request line */
    @AttributeDefinition(name = "Max request line (bytes)",
            min = "" + MAX_REQUEST_LINE_MIN, max = "" + MAX_REQUEST_LINE_MAX,
            description = "Longer: 414.")
    int max$_$request$_$line() default MAX_REQUEST_LINE;

    /** @return max header size */
    @AttributeDefinition(name = "Max header section (bytes)",
            min = "" + MAX_HEADER_SIZE_MIN, max = "" + MAX_HEADER_SIZE_MAX,
            description = "Larger: 431.")
    int max$_$header$_$size() default MAX_HEADER_SIZE;

    /** @return max headers */
    @AttributeDefinition(name = "Max header fields",
            min = "" + MAX_HEADERS_MIN, max = "" + MAX_HEADERS_MAX,
            description = "More: 431.")
    int max$_$headers() default MAX_HEADERS;

    /** @return max frame */
    @AttributeDefinition(name = "Max frame payload (bytes)",
            min = "" + MAX_FRAME_SIZE_MIN, max = "" + MAX_FRAME_SIZE_MAX,
            description = "Checked from the "
            + "frame header; larger: close 1009.")
    int max$_$frame$_$size() default MAX_FRAME_SIZE;

    /** @return max message */
    @AttributeDefinition(name = "Max message (bytes)",
            min = "" + MAX_MESSAGE_SIZE_MIN, max = "" + MAX_MESSAGE_SIZE_MAX,
            description = "Messages held whole "
            + "(datagram peers) and the peer-side framer buffer; larger: close 1009.")
    int max$_$message$_$size() default MAX_MESSAGE_SIZE;

    /** @return connect timeout */
    @AttributeDefinition(name = "Connect timeout (s)",
            min = "" + CONNECT_TIMEOUT_MIN, max = "" + CONNECT_TIMEOUT_MAX,
            description = "Route look-up, DNS and peer "
            + "connect; longer: 504.")
    int connect$_$timeout() default CONNECT_TIMEOUT;

    /** @return max subprotocols */
    @AttributeDefinition(name = "Max subprotocols offered",
            min = "" + MAX_SUBPROTOCOLS_MIN, max = "" + MAX_SUBPROTOCOLS_MAX,
            description = "More distinct "
            + "Sec-WebSocket-Protocol tokens in one request: 400.")
    int max$_$subprotocols() default MAX_SUBPROTOCOLS;

    /** @return write timeout */
    @AttributeDefinition(name = "Write stall timeout (s)",
            min = "" + WRITE_TIMEOUT_MIN, max = "" + WRITE_TIMEOUT_MAX,
            description = "A side that stays "
            + "unwritable this long is closed with 1001.")
    int write$_$timeout() default WRITE_TIMEOUT;

    /** @return allowed origins */
    @AttributeDefinition(name = "Allowed origins", description = "Origins allowed to open a WebSocket: full "
            + "origins (https://app.example.com) or host patterns (example.com, *.example.com); another Origin "
            + "gets 403 and the peer is never contacted. Empty: any origin.")
    String[] allowed$_$origins() default {};

    /** @return allow missing origin */
    @AttributeDefinition(name = "Allow missing Origin", description = "With allowed-origins set: whether a "
            + "request without an Origin header (a non-browser client) is accepted; false gives 403.")
    boolean allow$_$missing$_$origin() default ALLOW_MISSING_ORIGIN;

    /** @return same origin */
    @AttributeDefinition(name = "Allow same origin", description = "Also accept an Origin whose host and port "
            + "are the request's own Host (pages served from this address); with an empty allowed-origins only "
            + "those pass.")
    boolean same$_$origin() default SAME_ORIGIN;

    /** @return max connections */
    @AttributeDefinition(name = "Max connections",
            min = "" + MAX_CONNECTIONS_MIN, max = "" + MAX_CONNECTIONS_MAX,
            description = "Connections this listener serves at "
            + "once (counted from a valid request until close); more get 503 with Retry-After. 0 = unlimited.")
    int max$_$connections() default MAX_CONNECTIONS;

    /** @return max connections per IP */
    @AttributeDefinition(name = "Max connections per client IP",
            min = "" + MAX_CONNECTIONS_PER_IP_MIN, max = "" + MAX_CONNECTIONS_PER_IP_MAX,
            description = "Per real client "
            + "address (after trusted-proxies); more get 503 with Retry-After. 0 = unlimited.")
    int max$_$connections$_$per$_$ip() default MAX_CONNECTIONS_PER_IP;

    /** @return retry after */
    @AttributeDefinition(name = "Retry-After (s)",
            min = "" + RETRY_AFTER_MIN, max = "" + RETRY_AFTER_MAX,
            description = "Retry-After of the "
            + "503 sent when a connection limit is reached.")
    int retry$_$after() default RETRY_AFTER;

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
    String proxy$_$protocol() default PROXY_PROTOCOL;

    /** @return TLS certificate */
    @AttributeDefinition(name = "TLS certificate chain", required = false, description = "PEM file, leaf "
            + "first; with tls-key the listener speaks wss:// (TLS 1.2 and 1.3). Empty: plain ws://.")
    String tls$_$certificate() default TLS_CERTIFICATE;

    /** @return TLS key */
    @AttributeDefinition(name = "TLS private key", required = false, description = "PEM PKCS#8 (BEGIN PRIVATE "
            + "KEY), RSA, EC or EdDSA, unencrypted.")
    String tls$_$key() default TLS_KEY;

    /** @return TLS client CA */
    @AttributeDefinition(name = "TLS client CA bundle", required = false, description = "PEM CA certificates; "
            + "when set, clients must present a certificate they signed. Empty: no client certificates.")
    String tls$_$client$_$ca() default TLS_CLIENT_CA;

    /** @return TLS reload interval */
    @AttributeDefinition(name = "TLS reload check (s)",
            min = "" + TLS_RELOAD_INTERVAL_MIN, max = "" + TLS_RELOAD_INTERVAL_MAX,
            description = "How often the "
            + "TLS files are checked for changes; new connections get the new certificate. 0 = never.")
    int tls$_$reload$_$interval() default TLS_RELOAD_INTERVAL;

    /** @return TLS provider */
    @AttributeDefinition(name = "TLS provider", description = "auto (OpenSSL via netty-tcnative when "
            + "installed, else the JDK), jdk or openssl.", options = {
                @Option(value = "auto"),
                @Option(value = "jdk"),
                @Option(value = "openssl")})
    String tls$_$provider() default TLS_PROVIDER;

    /** @return access log */
    @AttributeDefinition(name = "Access log", description = "One line per connection at close on the logger "
            + "io.websocksy.access (replaces the close line of io.websocksy.connection).")
    boolean access$_$log() default ACCESS_LOG;

    /** @return access log format */
    @AttributeDefinition(name = "Access log format", description = "text or json (one object per line).",
            options = {
                @Option(value = "text"),
                @Option(value = "json")})
    String access$_$log$_$format() default ACCESS_LOG_FORMAT;

    /** @return static file directory */
    @AttributeDefinition(name = "Static files directory", required = false, description = "A plain GET or "
            + "HEAD that is not a WebSocket upgrade is answered from this directory (e.g. /usr/share/novnc); "
            + "nothing outside it is served (404). Empty: off.")
    String web() default WEB;

    /** @return index file */
    @AttributeDefinition(name = "Index file", required = false, description = "File served for a directory "
            + "path ending in /. Empty: none.")
    String web$_$index() default WEB_INDEX;

    /** @return directory listings */
    @AttributeDefinition(name = "Directory listings", description = "List a directory without an index file; "
            + "false gives 404.")
    boolean web$_$listing() default WEB_LISTING;

    /** @return cache control */
    @AttributeDefinition(name = "Cache-Control of static files", required = false, description = "Value of the "
            + "Cache-Control header of files (ETag and Last-Modified are always sent). Empty: no header.")
    String web$_$cache$_$control() default WEB_CACHE_CONTROL;

    /** @return compression */
    @AttributeDefinition(name = "permessage-deflate", description = "on: negotiate RFC 7692 compression with "
            + "clients that offer it; inflated sizes count against max-frame-size and max-message-size.",
            options = {
                @Option(value = "off"),
                @Option(value = "on")})
    String compression() default COMPRESSION;

    /** @return compression level */
    @AttributeDefinition(name = "Compression level",
            min = "" + COMPRESSION_LEVEL_MIN, max = "" + COMPRESSION_LEVEL_MAX,
            description = "zlib level for peer-to-client messages.")
    int compression$_$level() default COMPRESSION_LEVEL;

    /** @return compression window bits */
    @AttributeDefinition(name = "Compression window bits",
            min = "" + COMPRESSION_WINDOW_BITS_MIN, max = "" + COMPRESSION_WINDOW_BITS_MAX,
            description = "Largest LZ77 window of the server's compressor (server_max_window_bits).")
    int compression$_$window$_$bits() default COMPRESSION_WINDOW_BITS;

    /** @return no context takeover */
    @AttributeDefinition(name = "No context takeover", description = "Both sides reset their compressor "
            + "after every message (server_ and client_no_context_takeover): less memory, less compression.")
    boolean compression$_$no$_$context$_$takeover() default COMPRESSION_NO_CONTEXT_TAKEOVER;

    /** @return compression min size */
    @AttributeDefinition(name = "Compression min size (bytes)",
            min = "" + COMPRESSION_MIN_SIZE_MIN, max = "" + COMPRESSION_MIN_SIZE_MAX,
            description = "Shorter peer-to-client messages are sent uncompressed.")
    int compression$_$min$_$size() default COMPRESSION_MIN_SIZE;

    /** @return health path */
    @AttributeDefinition(name = "Health path", required = false, description = "For load balancers: a plain GET of "
            + "this path (e.g. /healthz) without Upgrade answers 200 while the listener takes connections and 503 "
            + "while it drains; no backend or peer is contacted. Empty: off.")
    String health$_$path() default HEALTH_PATH;
}
