package io.websocksy.itests.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * This JVM's open descriptors (Linux /proc). The bridge runs in the test JVM (native container), so
 * {@link #tcpConnections()} counts the client, bridge and peer ends of every TCP connection alike:
 * sockets that are neither listening nor gone. It is the "no connection left" part of INV-2.
 */
public final class Fds {
    private Fds() {
    }

    /** @return number of open file descriptors, or -1 without /proc */
    public static int count() {
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            int n = 0;
            for (Path ignored : d) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    /** @return descriptors of this process that are TCP sockets in a state other than LISTEN */
    public static int tcpConnections() {
        Set<String> connected = new HashSet<>();
        for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
            try {
                List<String> lines = Files.readAllLines(Paths.get(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && !f[3].equals("0A") && !f[9].equals("0")) {
                        connected.add(f[9]);
                    }
                }
            } catch (IOException e) {
                // no IPv6 table
            }
        }
        int n = 0;
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            for (Path fd : d) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[") && connected.contains(link.substring(8, link.length() - 1))) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return n;
    }

    /**
     * CPU used by Java threads (event loops, peers, the test) over a window, without the JVM's JIT
     * and GC threads, which are busy after any burst of new code; with the busiest thread named.
     *
     * @param millis the window
     * @return percent of one core, and the busiest thread
     */
    public static String javaThreadsBusy(long millis, double[] percent) throws InterruptedException {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> before = new java.util.HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            before.put(id, mx.getThreadCpuTime(id));
        }
        long w0 = System.nanoTime();
        Thread.sleep(millis);
        long total = 0;
        long top = 0;
        String topName = "-";
        for (long id : mx.getAllThreadIds()) {
            long now = mx.getThreadCpuTime(id);
            Long b = before.get(id);
            long d = now < 0 ? 0 : now - (b == null || b < 0 ? 0 : b);
            total += d;
            if (d > top) {
                top = d;
                java.lang.management.ThreadInfo ti = mx.getThreadInfo(id);
                topName = ti == null ? "#" + id : ti.getThreadName();
            }
        }
        long wall = System.nanoTime() - w0;
        percent[0] = total * 100.0 / wall;
        return String.format("%.0f %% of one core, busiest thread '%s' %.0f %%", percent[0], topName, top * 100.0 / wall);
    }
}
