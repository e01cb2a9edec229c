package io.websocksy.framer.fixedlength.internal;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Component;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramerName;
import io.websocksy.api.framer.FramingState;
import io.websocksy.framer.numbers.Numbers;

/**
 * The {@code fixedlength} framer: the peer's stream is cut into binary messages of exactly N bytes.
 *
 * <p>The config string is N, in decimal ({@code 512}) or hexadecimal with a {@code 0x} prefix
 * ({@code 0x200}), from 0 to 2147483647; surrounding whitespace is ignored. {@code 0} passes
 * everything through as binary, like the {@code binary} framer. At end of stream a remainder shorter
 * than N is sent as one last, shorter binary message, so no byte the peer sent is lost.
 *
 * <p>The states hold only N, so they are immutable and never allocate beyond the {@link Decision}.
 */
@Component(service = Framer.class, immediate = true)
@FramerName(FixedLengthFramer.NAME)
public final class FixedLengthFramer implements Framer {
    /** The name users write. */
    static final String NAME = "fixedlength";

    /** N = 0: pass everything through as binary. */
    private static final FramingState PASS_THROUGH = new FramingState() {
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
        int n = parseLength(config);
        return n == 0 ? PASS_THROUGH : new Chunks(n);
    }

    /**
     * Parses the message length.
     *
     * @param config the config string
     * @return N, 0 or more
     * @throws FramerConfigException naming the value and the expected form when it is not a number
     */
    static int parseLength(String config) throws FramerConfigException {
        String value = config == null ? "" : config.strip();
        String problem = Numbers.problem(value, false);
        if (problem != null) {
            throw new FramerConfigException(NAME + ": " + problem + " in '" + (config == null ? "" : config)
                    + "' (expected the message length in bytes, 0 to 2147483647, decimal or 0x hex, e.g. 512 or 0x200)");
        }
        return (int) Numbers.parse(value);
    }

    /** N &gt; 0: one binary message per N bytes. */
    static final class Chunks implements FramingState {
        private final int size;

        Chunks(int size) {
            this.size = size;
        }

        @Override
        public Decision next(ByteBuffer buffered) {
            return buffered.remaining() >= size ? Decision.binary(size) : Decision.needMore();
        }

        @Override
        public Decision endOfStream(ByteBuffer buffered) {
            // complete messages first (the bridge normally sent them already), then the short rest
            return Decision.binary(Math.min(size, buffered.remaining()));
        }

        /** @return N */
        int size() {
            return size;
        }
    }
}
