package io.websocksy.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the framework logs while a test runs, for tests that check a log line: tees {@code System.err} and
 * {@code System.out} (the container's slf4j-simple writes to the stream current at each call) into a
 * buffer until {@link #close()}. The native container runs the framework in the test's JVM, so the bridge's
 * lines arrive here.
 */
public final class LogTail implements AutoCloseable {
    private final PrintStream err = System.err;
    private final PrintStream out = System.out;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    private LogTail() {
        System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
    }

    /** @return a tail started now */
    public static LogTail start() {
        return new LogTail();
    }

    /** @return everything logged since the start */
    public String text() {
        synchronized (buf) {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * @param parts texts that must all occur in one line
     * @return the lines that hold every part
     */
    public List<String> lines(String... parts) {
        List<String> found = new ArrayList<>();
        for (String line : text().split("\n")) {
            boolean all = true;
            for (String p : parts) {
                all &= line.contains(p);
            }
            if (all) {
                found.add(line);
            }
        }
        return found;
    }

    /**
     * Waits for a line holding every part.
     *
     * @param timeout how long
     * @param parts   the texts
     * @return the first such line
     */
    public String await(Duration timeout, String... parts) {
        Poll.until(timeout, "a log line with " + String.join(" + ", parts) + "; logged so far:\n" + "(see the "
                + "test's output)", () -> !lines(parts).isEmpty());
        return lines(parts).get(0);
    }

    /** @return a position in the text: {@link #awaitSince} looks only at what is logged after it */
    public int mark() {
        synchronized (buf) {
            return buf.size();
        }
    }

    /**
     * Waits for a line holding every part, logged after {@code mark}.
     *
     * @param mark    from {@link #mark()}
     * @param timeout how long
     * @param parts   the texts
     */
    public void awaitSince(int mark, Duration timeout, String... parts) {
        Poll.until(timeout, "a log line with " + String.join(" + ", parts) + " after position " + mark, () -> {
            String after;
            synchronized (buf) {
                byte[] all = buf.toByteArray();
                after = new String(all, mark, all.length - mark, StandardCharsets.UTF_8);
            }
            for (String line : after.split("\n")) {
                boolean all = true;
                for (String p : parts) {
                    all &= line.contains(p);
                }
                if (all) {
                    return true;
                }
            }
            return false;
        });
    }

    @Override
    public void close() {
        System.setErr(err);
        System.setOut(out);
    }

    private final class Tee extends OutputStream {
        private final OutputStream next;

        Tee(OutputStream next) {
            this.next = next;
        }

        @Override
        public void write(int b) {
            synchronized (buf) {
                buf.write(b);
            }
            try {
                next.write(b);
            } catch (java.io.IOException e) {
                // the original stream's problem: the copy is kept
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (buf) {
                buf.write(b, off, len);
            }
            try {
                next.write(b, off, len);
            } catch (java.io.IOException e) {
                // as above
            }
        }

        @Override
        public void flush() {
            try {
                next.flush();
            } catch (java.io.IOException e) {
                // as above
            }
        }
    }
}
