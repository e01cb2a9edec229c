package io.websocksy.backend.jwt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Metatype of {@code websocksy.backend.jwt-<instance>.cfg}. */
@ObjectClassDefinition(id = JwtBackendComponent.PID, name = "websocksy signed-token (JWT) backend",
        description = "Routes each connection by the peer named in the client's signed token (JWS): no shared state.")
@interface Config {
    @AttributeDefinition(name = "Name", required = false,
            description = "Backend name for a listener's 'backend' key; empty: the instance name of the file.")
    String name() default "";

    @AttributeDefinition(name = "Key file", description = "A PEM public key (RSA or EC, BEGIN PUBLIC KEY), a JWK "
            + "set (JSON), or an HMAC secret (the file's bytes, trailing newline removed, at least 32 bytes). "
            + "Re-read when the file changes.")
    String key() default "";

    @AttributeDefinition(name = "Algorithms", required = false, description = "Allowed JWS algorithms, e.g. "
            + "RS256, ES256, HS256. Empty: every algorithm of the key's type. 'none' is never accepted, nor an "
            + "HMAC algorithm with a public key.")
    String[] algorithms() default {};

    @AttributeDefinition(name = "Issuer", required = false, description = "When set, the 'iss' claim must equal it.")
    String issuer() default "";

    @AttributeDefinition(name = "Audience", required = false, description = "When set, the 'aud' claim must "
            + "contain it.")
    String audience() default "";

    @AttributeDefinition(name = "Leeway (s)", min = "0", max = "86400", description = "Clock skew allowed on exp "
            + "and nbf.")
    int leeway() default 30;

    @AttributeDefinition(name = "Token", description = "Where the token is read: query:NAME, cookie:NAME, "
            + "header:NAME (Bearer removed), path or protocol:PREFIX.")
    String token() default "query:token";

    @AttributeDefinition(name = "On expiry", description = "ignore: exp is checked at the handshake only; close: "
            + "an open connection is closed with 1008 'token expired' when exp (plus leeway) passes.",
            options = {@Option(value = "ignore"), @Option(value = "close")})
    String expiry() default "ignore";

    @AttributeDefinition(name = "Framing", description = "Framer when the token names none.")
    String framing() default "auto";

    @AttributeDefinition(name = "Framing config", required = false, description = "Framer config when the "
            + "token names none.")
    String framing$_$config() default "";

    @AttributeDefinition(name = "Subprotocol", required = false, description = "Rule when the token names none: "
            + "empty none; a name; '*' the first offer (never the token's own protocol: entry).")
    String protocol() default "";

    @AttributeDefinition(name = "PROXY header to the peer", description = "off, v1 or v2 (tcp and unix peers).",
            options = {@Option(value = "off"), @Option(value = "v1"), @Option(value = "v2")})
    String peer$_$proxy$_$protocol() default "off";
}
