package io.websocksy.backend.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one file-backend instance (factory PID {@value FileBackendComponent#PID}, file
 * {@code websocksy.backend.file-<instance>.cfg}). Values from a {@code .cfg} file arrive as Strings;
 * {@link FileSettings#parse} validates them all before anything changes.
 */
@ObjectClassDefinition(
        id = FileBackendComponent.PID,
        name = "websocksy file backend",
        description = "Picks the peer of each WebSocket connection from route files found by expanding "
                + "templates (%endpoint%, %cookie:NAME%, %header:NAME%, %query:NAME%) under a base directory.")
public @interface Config {

    @AttributeDefinition(
            name = "Name",
            required = false,
            description = "Name of this backend instance; a listener selects it with 'backend = <name>'. "
                    + "Empty: the instance name of the factory configuration (websocksy.backend.file-<name>.cfg "
                    + "gives <name>), or 'main' when the configuration has none.")
    String name() default "";

    @AttributeDefinition(
            name = "Base directory",
            description = "Directory holding the route files; every template is resolved inside it and nothing "
                    + "outside it is ever read. Must exist and be a directory. A relative path is taken from the "
                    + "working directory of the process.")
    String path() default "";

    @AttributeDefinition(
            name = "Templates",
            cardinality = FileSettings.MAX_TEMPLATES,
            description = "Ordered file-name templates, tried in turn until one yields a route. In a .cfg file "
                    + "write one comma-separated value: '%endpoint%.txt, %cookie:session%.txt, default.txt'. "
                    + "Variables: %endpoint%, %cookie:NAME%, %header:NAME%, %query:NAME%; %% is a literal %.")
    String[] expression() default {FileSettings.DEFAULT_EXPRESSION};

    @AttributeDefinition(
            name = "PROXY header to the peer",
            description = "off, v1 or v2: routes to tcp:// and unix:// peers send a PROXY protocol header with the "
                    + "client's real address (after trusted-proxies) before any data.",
            options = {
                @org.osgi.service.metatype.annotations.Option(value = "off"),
                @org.osgi.service.metatype.annotations.Option(value = "v1"),
                @org.osgi.service.metatype.annotations.Option(value = "v2")})
    String peer$_$proxy$_$protocol() default "off";
}
