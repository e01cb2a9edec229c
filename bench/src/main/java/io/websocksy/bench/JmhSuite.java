package io.websocksy.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.websocksy.bridge.internal.http.HandshakeBench;

/**
 * Runs the JMH microbenchmarks (every framer found by {@link FramerCatalog}, and the handshake path)
 * in forked JVMs with the GC profiler, and returns their figures: ops/s, bytes/s for the framers
 * (ops/s x input length) and allocated bytes per operation and per input byte.
 */
final class JmhSuite {
    private JmhSuite() {
    }

    /** One benchmark's figures. */
    record Figure(String benchmark, String param, double opsPerSec, double opsError, double bytesPerOp,
            double allocBytesPerOp) {
        double bytesPerSec() {
            return opsPerSec * bytesPerOp;
        }

        double allocPerByte() {
            return bytesPerOp > 0 ? allocBytesPerOp / bytesPerOp : Double.NaN;
        }
    }

    static List<Figure> run(boolean quick, Path log) throws Exception {
        List<String> framers = FramerCatalog.names();
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + FramerBench.class.getName().replace(".", "\\.") + "\\.")
                .include("^" + HandshakeBench.class.getName().replace(".", "\\.") + "\\.")
                .param("framer", framers.toArray(new String[0]))
                .addProfiler(GCProfiler.class)
                .forks(1)
                .jvmArgsAppend("-Xms512m", "-Xmx512m")
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(false)
                .output(log.toString());
        Collection<RunResult> results = new Runner(b.build()).run();
        List<Figure> out = new ArrayList<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String shortName = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            String param = r.getParams().getParam("framer");
            Result<?> primary = r.getPrimaryResult();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            double bytesPerOp = bench.contains("FramerBench") ? FramerInputs.input(param).length : 0;
            out.add(new Figure(shortName, param, primary.getScore(), primary.getScoreError(), bytesPerOp,
                    alloc == null ? Double.NaN : alloc.getScore()));
        }
        return out;
    }

    static Map<String, Object> toMap(Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", f.benchmark());
        if (f.param() != null) {
            m.put("framer", f.param());
            m.put("config", FramerInputs.config(f.param()));
        }
        m.put("opsPerSec", f.opsPerSec());
        m.put("opsPerSecError", f.opsError());
        if (f.bytesPerOp() > 0) {
            m.put("inputBytes", f.bytesPerOp());
            m.put("bytesPerSec", f.bytesPerSec());
            m.put("allocBytesPerInputByte", f.allocPerByte());
        }
        m.put("allocBytesPerOp", f.allocBytesPerOp());
        return m;
    }
}
