package io.websocksy.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.Framer;
import io.websocksy.api.framer.FramingState;

/**
 * One operation = one 64 KiB read from a stream peer offered to a framer the way the bridge offers it
 * (a read-only view of a direct buffer whose position is the first unconsumed byte), asking for
 * decisions until the framer needs more. Bytes/s = ops/s x input length; {@code -prof gc} gives the
 * allocation per operation. The framer list comes from {@link FramerCatalog} (the runner passes every
 * framer found; the default below is only for running this class by hand).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FramerBench {
    /** The framer's name. */
    @Param({"auto"})
    public String framer;

    private ByteBuffer view;
    private FramingState state;
    private int length;

    /**
     * Opens the framer and checks, once, that the input is consumed exactly to its end, so every
     * operation measures the same work.
     *
     * @throws Exception when the framer is missing or rejects its config or input
     */
    @Setup
    public void setup() throws Exception {
        FramerCatalog.Entry e = FramerCatalog.discover().get(framer);
        if (e == null) {
            throw new IllegalStateException("framer '" + framer + "' is not on the class path; found "
                    + FramerCatalog.names());
        }
        Framer f = e.create();
        byte[] in = FramerInputs.input(framer);
        length = in.length;
        ByteBuffer direct = ByteBuffer.allocateDirect(length);
        direct.put(in).flip();
        view = direct.asReadOnlyBuffer();
        state = f.open(FramerInputs.config(framer));
        int[] r = drain();
        if (r[0] != length || r[1] == 0) {
            throw new IllegalStateException("framer '" + framer + "' consumed " + r[0] + " of " + length
                    + " bytes in " + r[1] + " messages: the bench input must end on a message boundary");
        }
    }

    private int[] drain() {
        int pos = 0;
        int messages = 0;
        while (true) {
            view.limit(length).position(pos);
            Decision d = state.next(view);
            if (d.kind() == Decision.Kind.NEED_MORE) {
                return new int[] {pos, messages};
            }
            pos += d.length();
            messages++;
        }
    }

    /**
     * @param bh sink for the decisions
     * @return bytes consumed (also sunk)
     */
    @Benchmark
    public int chunk64k(Blackhole bh) {
        int pos = 0;
        while (true) {
            view.limit(length).position(pos);
            Decision d = state.next(view);
            if (d.kind() == Decision.Kind.NEED_MORE) {
                return pos;
            }
            bh.consume(d.length()); // as the bridge uses it: the Decision itself need not escape
            pos += d.length();
        }
    }
}
