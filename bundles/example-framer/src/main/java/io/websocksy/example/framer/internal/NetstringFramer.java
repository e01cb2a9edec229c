package io.websocksy.example.framer.internal;

import java.util.Locale;

import org.osgi.service.component.annotations.Component;

import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramerName;
import io.websocksy.api.framer.FramingState;

/**
 * The {@code netstring} framer, the example third-party framer: the peer sends
 * <a href="https://cr.yp.to/proto/netstrings.txt">netstrings</a>, {@code <length>:<bytes>,} with the
 * length in decimal ({@code 5:hello,}), and each one becomes one WebSocket message.
 *
 * <p>The config string is a comma-separated list of options, each at most once (case-insensitive,
 * surrounding whitespace ignored; an empty config means neither):
 * <ul>
 * <li>{@code whole}: send the whole netstring, {@code 5:hello,}; by default only the payload,
 * {@code hello}, is sent;</li>
 * <li>{@code text}: send each message as text when it is valid UTF-8; by default messages are binary.</li>
 * </ul>
 *
 * <p>One instance serves every connection, so {@link #open} must be thread-safe: it parses the config
 * and returns a fresh {@link NetstringState}, which holds all per-connection state.
 */
@Component(service = Framer.class, immediate = true) // immediate: see STACK.md P5
@FramerName(NetstringFramer.NAME)                      // service property websocksy.framer.name=netstring
public final class NetstringFramer implements Framer {
    /** The name users write in {@code framing = netstring}. */
    static final String NAME = "netstring";

    @Override
    public FramingState open(String config) throws FramerConfigException {
        boolean whole = false;
        boolean text = false;
        if (!config.isBlank()) {                      // the bridge passes "" when the route has no config
            String[] options = config.split(",", -1);
            for (String raw : options) {
                String option = raw.strip().toLowerCase(Locale.ROOT);
                switch (option) {
                    case "whole":
                        whole = once(whole, option, config);
                        break;
                    case "text":
                        text = once(text, option, config);
                        break;
                    default:
                        // the bridge logs this message with the framer's name and answers HTTP 500
                        throw new FramerConfigException(NAME + ": unknown option '" + raw.strip() + "' in '" + config
                                + "' (expected a comma-separated list of: whole, text)");
                }
            }
        }
        return new NetstringState(whole, text);
    }

    private static boolean once(boolean seen, String option, String config) throws FramerConfigException {
        if (seen) {
            throw new FramerConfigException(NAME + ": option '" + option + "' given twice in '" + config + "'");
        }
        return true;
    }
}
