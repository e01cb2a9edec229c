package io.websocksy.framers.internal;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Component;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramerName;
import io.websocksy.api.framer.FramingState;
import io.websocksy.api.framer.Utf8;

/**
 * The {@code auto} framer (the default): everything buffered is sent at once, as text when it is
 * valid UTF-8 and as binary otherwise.
 *
 * <p>Unlike the C original, data that is valid UTF-8 except that it ends inside a multi-byte
 * sequence is not degraded to binary: the incomplete tail (1 to 3 bytes) is held back for the next
 * read and the rest is sent as text. Data containing an invalid sequence anywhere is sent whole as
 * binary. At end of stream and for datagrams everything is sent, text if valid, else binary.
 *
 * <p>The state holds nothing (the held-back tail stays in the bridge's buffer), so one instance
 * serves every connection.
 */
@Component(service = Framer.class, immediate = true)
@FramerName(AutoFramer.NAME)
public final class AutoFramer implements Framer {
    /** The name users write. */
    static final String NAME = "auto";

    private static final FramingState STATE = new FramingState() {
        @Override
        public Decision next(ByteBuffer buffered) {
            int length = buffered.remaining();
            if (length == 0) {
                return Decision.needMore();
            }
            int tail = Utf8.check(buffered, buffered.position(), length);
            if (tail == Utf8.INVALID) {
                return Decision.binary(length);
            }
            if (tail == length) {
                return Decision.needMore(); // only the start of a multi-byte sequence is buffered
            }
            return Decision.text(length - tail);
        }

        @Override
        public Decision endOfStream(ByteBuffer buffered) {
            return Framing.textIfValid(buffered);
        }

        @Override
        public Decision datagram(ByteBuffer datagram) {
            return Framing.textIfValid(datagram);
        }
    };

    @Override
    public FramingState open(String config) throws FramerConfigException {
        Framing.requireNoConfig(NAME, config);
        return STATE;
    }
}
