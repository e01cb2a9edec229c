package io.websocksy.framer.json.internal;

import org.osgi.service.component.annotations.Component;

import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramerName;
import io.websocksy.api.framer.FramingState;

/**
 * The {@code json} framer: one complete JSON value (RFC 8259: object, array, string, number,
 * {@code true}, {@code false}, {@code null}) per text message. Whitespace between values is dropped;
 * a syntax error sends the bytes of the broken value up to and including the offending byte as one
 * binary message and scanning starts afresh after it. See {@link JsonState} for the exact rules.
 *
 * <p>It takes no configuration.
 */
@Component(service = Framer.class, immediate = true)
@FramerName(JsonFramer.NAME)
public final class JsonFramer implements Framer {
    /** The name users write. */
    static final String NAME = "json";

    @Override
    public FramingState open(String config) throws FramerConfigException {
        if (config != null && !config.isBlank()) {
            throw new FramerConfigException(NAME + " takes no configuration, got '" + config + "'");
        }
        return new JsonState();
    }
}
