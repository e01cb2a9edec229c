package io.websocksy.framers.internal;

import java.nio.ByteBuffer;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.Utf8;

/** Small helpers shared by the built-in framers. */
final class Framing {
    private Framing() {
    }

    /**
     * @param bytes the bytes from position to limit
     * @return all of them as text when they are complete, valid UTF-8, else as binary
     */
    static Decision textIfValid(ByteBuffer bytes) {
        int length = bytes.remaining();
        return Utf8.check(bytes, bytes.position(), length) == 0 ? Decision.text(length) : Decision.binary(length);
    }

    /**
     * @param framer the framer's name, for the message
     * @param config the config string given to {@code open}
     * @throws FramerConfigException when the config is not blank
     */
    static void requireNoConfig(String framer, String config) throws FramerConfigException {
        if (config != null && !config.isBlank()) {
            throw new FramerConfigException(framer + " takes no configuration, got '" + config + "'");
        }
    }
}
