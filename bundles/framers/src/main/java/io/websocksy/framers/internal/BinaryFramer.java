package io.websocksy.framers.internal;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Component;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramerName;
import io.websocksy.api.framer.FramingState;

/**
 * The {@code binary} framer: everything buffered is sent at once as one binary message; so are the
 * rest at end of stream and every datagram. It takes no configuration. The state holds nothing, so
 * one instance serves every connection.
 */
@Component(service = Framer.class, immediate = true)
@FramerName(BinaryFramer.NAME)
public final class BinaryFramer implements Framer {
    /** The name users write. */
    static final String NAME = "binary";

    private static final FramingState STATE = new FramingState() {
        @Override
        public Decision next(ByteBuffer buffered) {
            int length = buffered.remaining();
            return length == 0 ? Decision.needMore() : Decision.binary(length);
        }

        @Override
        public Decision endOfStream(ByteBuffer buffered) {
            return Decision.binary(buffered.remaining());
        }
    };

    @Override
    public FramingState open(String config) throws FramerConfigException {
        Framing.requireNoConfig(NAME, config);
        return STATE;
    }
}
