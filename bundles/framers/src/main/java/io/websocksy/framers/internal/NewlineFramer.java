package io.websocksy.framers.internal;

import java.util.Locale;

import org.osgi.service.component.annotations.Component;

import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramerName;
import io.websocksy.api.framer.FramingState;

/**
 * The {@code newline} framer: one message per line, line ending included, sent as text when it is
 * valid UTF-8 and as binary otherwise. The config names the line ending, case-insensitive:
 * {@code crlf} (the default, also for an empty config), {@code lfcr}, {@code lf} or {@code cr}.
 * At end of stream an unterminated last line is sent the same way; datagrams are sent as text when
 * they are valid UTF-8, else as binary.
 */
@Component(service = Framer.class, immediate = true)
@FramerName(NewlineFramer.NAME)
public final class NewlineFramer implements Framer {
    /** The name users write. */
    static final String NAME = "newline";

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LFCR = {'\n', '\r'};
    private static final byte[] LF = {'\n'};
    private static final byte[] CR = {'\r'};

    @Override
    public FramingState open(String config) throws FramerConfigException {
        return new SeparatorState(lineEnding(config), true);
    }

    /**
     * @param config the config string
     * @return the line ending it names (shared array: do not change it)
     * @throws FramerConfigException when it names none
     */
    static byte[] lineEnding(String config) throws FramerConfigException {
        String name = config == null ? "" : config.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "":
            case "crlf":
                return CRLF;
            case "lfcr":
                return LFCR;
            case "lf":
                return LF;
            case "cr":
                return CR;
            default:
                throw new FramerConfigException(NAME + ": unknown line ending '" + config
                        + "' (expected crlf, lfcr, lf or cr)");
        }
    }
}
