package io.websocksy.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How long and how hard each scenario runs. {@code quick} is a smoke run of every scenario (about two
 * minutes); {@code full} is the run the report's figures come from (under ten minutes on two cores).
 */
final class Plan {
    final String mode;
    final long tpWarmupMs;
    final long tpMeasureMs;
    final long tpMaxBytes;
    final int latencyRate;
    final long latencyWarmupMs;
    final long latencyMeasureMs;
    final int churnConcurrency;
    final int churnMaxCycles;
    final long churnMaxMs;
    int scaleConnections;
    final int canaryRate;
    final long canaryMs;
    final long profileMs;
    final int coldRuns;
    boolean jmh = true;
    boolean profile = true;
    List<Net.Kind> transports = new ArrayList<>(List.of(Net.Kind.EPOLL, Net.Kind.NIO));
    List<String> only = List.of("throughput", "latency", "churn", "scale", "cold", "jmh");

    private Plan(String mode, long tpWarmupMs, long tpMeasureMs, long tpMaxBytes, int latencyRate,
            long latencyWarmupMs, long latencyMeasureMs, int churnConcurrency, int churnMaxCycles, long churnMaxMs,
            int scaleConnections, int canaryRate, long canaryMs, long profileMs, int coldRuns) {
        this.mode = mode;
        this.tpWarmupMs = tpWarmupMs;
        this.tpMeasureMs = tpMeasureMs;
        this.tpMaxBytes = tpMaxBytes;
        this.latencyRate = latencyRate;
        this.latencyWarmupMs = latencyWarmupMs;
        this.latencyMeasureMs = latencyMeasureMs;
        this.churnConcurrency = churnConcurrency;
        this.churnMaxCycles = churnMaxCycles;
        this.churnMaxMs = churnMaxMs;
        this.scaleConnections = scaleConnections;
        this.canaryRate = canaryRate;
        this.canaryMs = canaryMs;
        this.profileMs = profileMs;
        this.coldRuns = coldRuns;
    }

    static Plan of(String mode) {
        switch (mode) {
            case "quick":
                return new Plan(mode, 500, 1500, 8L << 30, 1000, 1000, 3000, 16, 400, 3000, 1000, 200, 3000, 3000, 2);
            case "full":
                return new Plan(mode, 2000, 4000, 64L << 30, 2000, 2000, 8000, 32, 5000, 8000, 10_000, 200, 8000,
                        6000, 5);
            default:
                throw new IllegalArgumentException("unknown mode '" + mode + "' (expected quick or full)");
        }
    }

    boolean runs(String scenario) {
        return only.contains(scenario);
    }
}
