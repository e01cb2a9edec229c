package io.websocksy.ops;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C in the interactive console stops websocksy, as SIGINT does when it runs headless. gogo.jline builds its
 * terminal with every signal ignored and its line reader turns Ctrl-C into an exception that the shell loop
 * swallows, so a terminal's INTR key never reaches the JVM's shutdown hook. {@code etc/gosh_profile} calls
 * {@code websocksy:ctrlc} once per console: it turns the terminal's ISIG flag off, so Ctrl-C arrives as the
 * character it is, and binds that character in the line reader's key maps to a widget that stops the framework
 * (bundle 0), exactly like {@code stop 0}: listeners close their clients with 1001 and the process exits.
 * Ctrl-\ and Ctrl-Z become plain characters in the console as well; without a terminal (headless) this does
 * nothing.
 */
@Component(service = ConsoleInterrupt.class,
        property = {"osgi.command.scope=websocksy", "osgi.command.function=ctrlc"})
public class ConsoleInterrupt {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleInterrupt.class);
    static final String WIDGET = "websocksy-stop";

    private final BundleContext context;

    /** @param context the bundle context */
    @Activate
    public ConsoleInterrupt(BundleContext context) {
        this.context = context;
    }

    /**
     * @param session the console's session
     * @return what was done, for the profile to ignore
     */
    @Descriptor("make Ctrl-C in this console stop websocksy (called by etc/gosh_profile)")
    public String ctrlc(CommandSession session) {
        Object t = session.get(".terminal");
        Object r = session.get(".reader");
        if (!(t instanceof Terminal) || !(r instanceof LineReader)) {
            return "no console";
        }
        Terminal terminal = (Terminal) t;
        LineReader reader = (LineReader) r;
        if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
            return "dumb terminal";
        }
        Attributes attrs = terminal.getAttributes();
        attrs.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(attrs);
        reader.getWidgets().put(WIDGET, () -> {
            terminal.writer().println();
            terminal.writer().println("Ctrl-C: stopping websocksy");
            terminal.flush();
            stop();
            return true;
        });
        Reference ref = new Reference(WIDGET);
        String ctrlC = KeyMap.ctrl('C');
        for (String map : new String[] {LineReader.MAIN, LineReader.EMACS, LineReader.VIINS, LineReader.VICMD}) {
            KeyMap<Binding> km = reader.getKeyMaps().get(map);
            if (km != null) {
                km.bind(ref, ctrlC);
            }
        }
        return "Ctrl-C stops websocksy";
    }

    private void stop() {
        LOG.info("Ctrl-C in the console: stopping websocksy");
        try {
            context.getBundle(0).stop();
        } catch (BundleException | RuntimeException e) {
            LOG.error("cannot stop the framework: {}", e.toString());
        }
    }
}
