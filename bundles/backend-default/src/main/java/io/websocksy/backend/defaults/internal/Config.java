package io.websocksy.backend.defaults.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one default-backend instance (factory PID {@value DefaultBackendComponent#PID}, file
 * {@code websocksy.backend.default-<instance>.cfg}). Every value arrives as a String from a {@code .cfg}
 * file; {@link DefaultRoute#parse} validates them all before anything changes.
 */
@ObjectClassDefinition(
        id = DefaultBackendComponent.PID,
        name = "websocksy default backend",
        description = "Routes every WebSocket connection to the same peer (the C original's 'defaultpeer').")
public @interface Config {

    @AttributeDefinition(
            name = "Name",
            description = "Name of this backend instance; a listener selects it with 'backend = <name>'.")
    String name() default DefaultRoute.DEFAULT_NAME;

    @AttributeDefinition(
            name = "Peer address",
            description = "tcp://host[:port], udp://host[:port], unix://path or unix-dgram://path; "
                    + "IPv6 literals in brackets. An address without a scheme is taken as tcp (with a warning).")
    String host() default DefaultRoute.DEFAULT_HOST;

    @AttributeDefinition(
            name = "Port",
            description = "Explicit peer port 1-65535; overrides the address's port. Empty: the address's port, "
                    + "else 5900. Ignored for unix addresses.")
    String port() default "";

    @AttributeDefinition(
            name = "Framing",
            description = "Name of the framer that cuts the peer's byte stream into messages: auto, binary, "
                    + "separator, newline or a plug-in framer.")
    String framing() default DefaultRoute.DEFAULT_FRAMING;

    /** Key {@code framing-config} (SCR maps {@code $_$} to {@code -}). */
    @AttributeDefinition(
            name = "Framing config",
            description = "Configuration string handed to the framer, e.g. the separator for 'separator'.")
    String framing$_$config() default "";

    @AttributeDefinition(
            name = "Subprotocol",
            description = "Empty: choose no subprotocol. A name: choose it when the client offered it "
                    + "(case-insensitive), else none. '*': choose the first one the client offered.")
    String protocol() default "";

    /** Key {@code peer-proxy-protocol}. */
    @AttributeDefinition(
            name = "PROXY header to the peer",
            description = "off, v1 or v2: send a PROXY protocol header with the client's real address (after "
                    + "trusted-proxies) to a tcp:// or unix:// peer before any data.",
            options = {
                @org.osgi.service.metatype.annotations.Option(value = "off"),
                @org.osgi.service.metatype.annotations.Option(value = "v1"),
                @org.osgi.service.metatype.annotations.Option(value = "v2")})
    String peer$_$proxy$_$protocol() default "off";
}
