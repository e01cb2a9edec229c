package io.websocksy.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of the runtime (taken with {@code settings=profile}, which samples execution
 * and allocation) and ranks: the hottest methods (top frame of each execution sample), the hottest
 * websocksy frames (first {@code io.websocksy} frame of each sample - who in our code is on the CPU),
 * and the allocation sites (top frame and class of each allocation sample, weighted by its estimated
 * bytes).
 */
final class JfrSummary {
    record Row(String what, double share, long count) {
    }

    final List<Row> hotMethods;
    final List<Row> hotOwnFrames;
    final List<Row> allocationSites;
    final long executionSamples;
    final long allocationBytes;

    private JfrSummary(List<Row> hot, List<Row> own, List<Row> alloc, long samples, long allocBytes) {
        this.hotMethods = hot;
        this.hotOwnFrames = own;
        this.allocationSites = alloc;
        this.executionSamples = samples;
        this.allocationBytes = allocBytes;
    }

    static JfrSummary read(Path file, int top) throws IOException {
        Map<String, Long> hot = new HashMap<>();
        Map<String, Long> own = new HashMap<>();
        Map<String, Long> alloc = new HashMap<>();
        long samples = 0;
        long allocBytes = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                if (type.equals("jdk.ExecutionSample")) {
                    samples++;
                    hot.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
                    for (RecordedFrame f : st.getFrames()) {
                        if (f.isJavaFrame() && f.getMethod().getType().getName().startsWith("io.websocksy")) {
                            own.merge(frame(f), 1L, Long::sum);
                            break;
                        }
                    }
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    long w = e.getLong("weight");
                    allocBytes += w;
                    String cls = e.getClass("objectClass").getName();
                    alloc.merge(cls + " at " + frame(firstUseful(st)), w, Long::sum);
                }
            }
        }
        return new JfrSummary(rank(hot, samples, top), rank(own, samples, top), rank(alloc, allocBytes, top),
                samples, allocBytes);
    }

    /** Skips allocation plumbing (constructors and allocators of the JDK/Netty) to name the caller. */
    private static RecordedFrame firstUseful(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String m = f.getMethod().getName();
            String t = f.getMethod().getType().getName();
            boolean plumbing = m.equals("<init>") || t.startsWith("java.lang.") || t.startsWith("jdk.internal.")
                    || t.startsWith("java.nio.") || m.startsWith("newInstance") || m.startsWith("allocate")
                    || t.startsWith("io.netty.util.Recycler") || t.endsWith("ByteBufAllocator")
                    || t.startsWith("io.netty.buffer.PoolArena") || t.startsWith("io.netty.buffer.PoolThreadCache");
            if (!plumbing) {
                return f;
            }
        }
        return st.getFrames().get(0);
    }

    private static String frame(RecordedFrame f) {
        String t = f.getMethod().getType().getName();
        return t + "." + f.getMethod().getName() + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "");
    }

    private static List<Row> rank(Map<String, Long> m, long total, int top) {
        List<Map.Entry<String, Long>> es = new ArrayList<>(m.entrySet());
        es.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < Math.min(top, es.size()); i++) {
            out.add(new Row(es.get(i).getKey(), total == 0 ? 0 : 100.0 * es.get(i).getValue() / total,
                    es.get(i).getValue()));
        }
        return out;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executionSamples", executionSamples);
        m.put("sampledAllocationBytes", allocationBytes);
        m.put("hotMethods", rows(hotMethods));
        m.put("hotWebsocksyFrames", rows(hotOwnFrames));
        m.put("allocationSites", rows(allocationSites));
        return m;
    }

    private static List<Object> rows(List<Row> rows) {
        List<Object> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(Map.of("site", r.what(), "percent", r.share(), "count", r.count()));
        }
        return out;
    }
}
