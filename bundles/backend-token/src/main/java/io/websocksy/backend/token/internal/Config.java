package io.websocksy.backend.token.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Metatype of {@code websocksy.backend.token-<instance>.cfg}. */
@ObjectClassDefinition(id = TokenBackendComponent.PID, name = "websocksy token-file backend",
        description = "Routes each connection by the token it presents, looked up in websockify TokenFile files "
                + "(lines 'token: host:port').")
@interface Config {
    @AttributeDefinition(name = "Name", required = false,
            description = "Backend name for a listener's 'backend' key; empty: the instance name of the file.")
    String name() default "";

    @AttributeDefinition(name = "Source", description = "A token file, or a directory whose regular files are "
            + "all token files. Changes apply within about a second, without a restart.")
    String source() default "";

    @AttributeDefinition(name = "Token", description = "Where the token is read: query:NAME, cookie:NAME, "
            + "header:NAME, path (last path segment) or protocol:PREFIX.")
    String token() default "query:token";

    @AttributeDefinition(name = "Framing", description = "Framer of every route.")
    String framing() default "auto";

    @AttributeDefinition(name = "Framing config", required = false, description = "The framer's config string.")
    String framing$_$config() default "";

    @AttributeDefinition(name = "Subprotocol", required = false, description = "Empty: none; a name: that one "
            + "when offered; '*': the client's first offer (never the token's own entry).")
    String protocol() default "";

    @AttributeDefinition(name = "PROXY header to the peer", description = "off, v1 or v2 (tcp and unix peers).",
            options = {@Option(value = "off"), @Option(value = "v1"), @Option(value = "v2")})
    String peer$_$proxy$_$protocol() default "off";
}
