package io.websocksy.framers.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Component;

import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramerName;
import io.websocksy.api.framer.FramingState;

/**
 * The {@code separator} framer: each binary message runs up to and including the next occurrence of
 * a separator byte sequence. At end of stream the rest is sent as text if it is valid UTF-8, else as
 * binary; datagrams are sent as binary.
 *
 * <p>The config string is the separator. It may use the escapes {@code \r \t \n \0 \f \\} and
 * {@code \xHH} (exactly two hex digits); every other character stands for its UTF-8 bytes. An empty
 * separator, an unknown escape, a dangling backslash or a bad {@code \x} escape is a config error.
 * Examples: {@code \r\n}, {@code \x00}, {@code ;;}.
 */
@Component(service = Framer.class, immediate = true)
@FramerName(SeparatorFramer.NAME)
public final class SeparatorFramer implements Framer {
    /** The name users write. */
    static final String NAME = "separator";

    @Override
    public FramingState open(String config) throws FramerConfigException {
        return new SeparatorState(parse(config), false);
    }

    /**
     * Decodes a separator config string.
     *
     * @param config the config string, with escapes
     * @return the separator bytes, at least one
     * @throws FramerConfigException when the string is empty or malformed
     */
    static byte[] parse(String config) throws FramerConfigException {
        if (config == null || config.isEmpty()) {
            throw error("empty separator", config == null ? "" : config);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(config.length());
        int i = 0;
        while (i < config.length()) {
            char c = config.charAt(i);
            if (c != '\\') {
                int cp = config.codePointAt(i);
                if (Character.isSurrogate(c) && Character.charCount(cp) == 1) {
                    throw error("unpaired surrogate at index " + i, config);
                }
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= config.length()) {
                throw error("dangling backslash at the end", config);
            }
            char e = config.charAt(i + 1);
            switch (e) {
                case 'r': out.write('\r'); break;
                case 't': out.write('\t'); break;
                case 'n': out.write('\n'); break;
                case '0': out.write(0); break;
                case 'f': out.write('\f'); break;
                case '\\': out.write('\\'); break;
                case 'x': {
                    int hi = i + 2 < config.length() ? Character.digit(config.charAt(i + 2), 16) : -1;
                    int lo = i + 3 < config.length() ? Character.digit(config.charAt(i + 3), 16) : -1;
                    if (hi < 0 || lo < 0) {
                        throw error("\\x at index " + i + " needs exactly two hex digits", config);
                    }
                    out.write(hi << 4 | lo);
                    i += 2;
                    break;
                }
                default:
                    throw error("unknown escape '\\" + e + "' at index " + i
                            + " (expected \\r \\t \\n \\0 \\f \\\\ or \\xHH)", config);
            }
            i += 2;
        }
        return out.toByteArray();
    }

    private static FramerConfigException error(String problem, String config) {
        return new FramerConfigException(NAME + ": " + problem + " in separator '" + config + "'");
    }
}
