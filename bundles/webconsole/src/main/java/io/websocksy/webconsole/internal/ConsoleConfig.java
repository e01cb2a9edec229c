package io.websocksy.webconsole.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code websocksy.console.cfg}: who may use the Web Console. Without this configuration the console stays off. */
@ObjectClassDefinition(id = ConsoleConfig.PID, name = "websocksy Web Console access",
        description = "The one user of the Felix Web Console. Until this configuration exists, with a non-empty user "
                + "name and password, the Web Console is not registered at all.")
public @interface ConsoleConfig {
    /** The configuration PID. */
    String PID = "websocksy.console";

    @AttributeDefinition(name = "User name", description = "The user name the browser sends (HTTP Basic).")
    String username();

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
            description = "{pbkdf2-sha256}ITERATIONS$SALT$HASH (recommended), {sha-256}BASE64 (the Web Console's own "
                    + "format), or the password itself (accepted, with a warning in the log). README, 'Web Console'.")
    String password();

    @AttributeDefinition(name = "Realm", description = "The realm of the HTTP Basic challenge.")
    String realm() default "websocksy";
}
