package io.websocksy.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The conformance report: every checked case appends one record (case ID, description, expected,
 * got, pass/fail, test) under {@code target/conformance/}, and {@link #writeReport()} renders all
 * records against the RELIABILITY catalogue into {@code target/conformance-report.md}. Cases of the
 * catalogue without a record are listed as "not run".
 */
public final class Conformance {
    /** Failsafe system property: the records directory. */
    public static final String DIR = "websocksy.conformance.dir";
    /** Groups in catalogue order, with the number of cases in each (docs/conformance.md). */
    static final Map<String, Integer> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("H", 23);
        GROUPS.put("F", 13);
        GROUPS.put("G", 8);
        GROUPS.put("U", 7);
        GROUPS.put("C", 13);
        GROUPS.put("L", 9);
        GROUPS.put("B", 5);
        GROUPS.put("P", 13);
        GROUPS.put("D", 6);
        GROUPS.put("Z", 7); // permessage-deflate (issue 18), DeflateIT
    }

    private Conformance() {
    }

    /** A case body returning what it observed. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws Exception;
    }

    static Path dir() {
        String d = System.getProperty(DIR);
        return d != null ? Paths.get(d) : Paths.get("target", "conformance");
    }

    private static String clean(String s) {
        String t = s == null ? "" : s.replaceAll("\\p{Cntrl}", " ").replace("|", "\\|");
        return t.length() > 400 ? t.substring(0, 400) + "…" : t;
    }

    /**
     * Appends one record.
     *
     * @param id case ID, e.g. {@code F7}
     * @param description the input
     * @param expected the expected answer
     * @param got what was observed (or the failure)
     * @param pass whether the case passed
     * @param test {@code Class.method}
     * @param millis how long the case took
     */
    public static synchronized void record(String id, String description, String expected, String got, boolean pass,
            String test, long millis) {
        try {
            Files.createDirectories(dir());
            String line = String.join("\t", clean(id), clean(description), clean(expected), clean(got),
                    pass ? "PASS" : "FAIL", clean(test), Long.toString(millis)) + "\n";
            Files.write(dir().resolve(test.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + id + ".tsv"),
                    line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders every record in the directory into {@code conformance-report.md} next to it. */
    public static synchronized void writeReport() {
        List<String[]> rows = new ArrayList<>();
        try {
            if (Files.isDirectory(dir())) {
                try (Stream<Path> files = Files.list(dir())) {
                    for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".tsv"))::iterator) {
                        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                            String[] r = l.split("\t", -1);
                            if (r.length == 7) {
                                rows.add(r);
                            }
                        }
                    }
                }
            }
            rows.sort(Comparator.comparing((String[] r) -> order(r[0])).thenComparing(r -> r[5]));
            StringBuilder md = new StringBuilder();
            int pass = 0;
            int fail = 0;
            for (String[] r : rows) {
                if (r[4].equals("PASS")) {
                    pass++;
                } else {
                    fail++;
                }
            }
            List<String> notRun = new ArrayList<>();
            for (Map.Entry<String, Integer> g : GROUPS.entrySet()) {
                for (int i = 1; i <= g.getValue(); i++) {
                    String id = g.getKey() + i;
                    if (rows.stream().noneMatch(r -> r[0].equals(id))) {
                        notRun.add(id);
                    }
                }
            }
            md.append("# websocksy conformance report\n\n")
                    .append("Cases of the conformance catalogue (`docs/conformance.md`), checked by the integration tests against the real "
                            + "runtime (Felix + Netty) with real peers, every hostile frame sequence whole, octet by octet "
                            + "and in random segments. Each case also checks the global invariants: a canary connection's "
                            + "10 Hz round trips through the same bridge (INV-1); afterwards no TCP connection end left in "
                            + "the process, every peer connection closed, the bridge's connection registry (BridgeAdmin) "
                            + "back to its count, heap after GC back near its baseline and no Netty leak report at "
                            + "`paranoid` (INV-2, INV-6); idle Java threads (INV-3); close frames well formed (INV-5); "
                            + "HTTP errors with Content-Length and Connection: close (INV-4). D cases run with "
                            + "`-Pload` against the assembled runtime.\n\n")
                    .append("**").append(pass).append(" passed, ").append(fail).append(" failed**")
                    .append(notRun.isEmpty() ? "" : "; not run in this build: " + String.join(", ", notRun)).append("\n\n")
                    .append("| case | description | expected | got | result | test | ms |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (String[] r : rows) {
                md.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" | ")
                        .append(r[3]).append(" | ").append(r[4].equals("PASS") ? "pass" : "**FAIL**").append(" | `")
                        .append(r[5]).append("` | ").append(r[6]).append(" |\n");
            }
            Path out = dir().resolveSibling("conformance-report.md");
            Files.write(out, md.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String order(String id) {
        int g = 0;
        for (String k : GROUPS.keySet()) {
            if (id.startsWith(k)) {
                break;
            }
            g++;
        }
        String num = id.replaceAll("\\D", "");
        return String.format("%02d%04d", g, num.isEmpty() ? 0 : Integer.parseInt(num));
    }
}
