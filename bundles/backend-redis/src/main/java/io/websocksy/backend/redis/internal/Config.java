package io.websocksy.backend.redis.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Metatype of {@code websocksy.backend.redis-<instance>.cfg}. */
@ObjectClassDefinition(id = RedisBackendComponent.PID, name = "websocksy Redis backend",
        description = "Routes each connection by its token, looked up in Redis; revoked tokens close their connections.")
@interface Config {
    @AttributeDefinition(name = "Name", required = false,
            description = "Backend name for a listener's 'backend' key; empty: the instance name of the file.")
    String name() default "";

    @AttributeDefinition(name = "URI", description = "redis://[user:password@]host:port/db, rediss:// for TLS.")
    String uri() default "redis://127.0.0.1:6379/0";

    @AttributeDefinition(name = "Key prefix", required = false, description = "Prepended to the token to form the "
            + "key, e.g. 'route:'.")
    String key$_$prefix() default "";

    @AttributeDefinition(name = "Token", description = "Where the token is read: query:NAME, cookie:NAME, "
            + "header:NAME, path or protocol:PREFIX.")
    String token() default "query:token";

    @AttributeDefinition(name = "Timeout (ms)", min = "50", max = "60000", description = "A look-up not answered in "
            + "this time (Redis down or slow) gives 503.")
    int timeout() default 1000;

    @AttributeDefinition(name = "Framing", description = "Framer when the value names none.")
    String framing() default "auto";

    @AttributeDefinition(name = "Framing config", required = false, description = "Framer config when the value "
            + "names none.")
    String framing$_$config() default "";

    @AttributeDefinition(name = "Subprotocol", required = false, description = "Rule when the value names none.")
    String protocol() default "";

    @AttributeDefinition(name = "PROXY header to the peer", description = "off, v1 or v2 (tcp and unix peers).",
            options = {@Option(value = "off"), @Option(value = "v1"), @Option(value = "v2")})
    String peer$_$proxy$_$protocol() default "off";

    @AttributeDefinition(name = "Configure keyspace notifications", description = "Revocation listens to Redis "
            + "keyspace notifications, which need notify-keyspace-events to contain K, g, $, x and e. When true "
            + "the backend adds them with CONFIG SET (keeping the flags already set); when false, or when CONFIG is "
            + "refused, the operator sets them (a WARN says so if they are missing).")
    boolean configure$_$notifications() default true;
}
