package dev.channels.app.bench;

import org.HdrHistogram.Histogram;

/**
 * Phase 5: put-to-take latency while producers pace their puts at {@code targetRate} items/s in
 * all; percentiles in nanoseconds, over the {@code recorded} items sent during the timed window.
 */
public record LatencyResult(double targetRate, PhaseResult load, long recorded, long p50, long p90, long p99,
    long p999, long max) {

  /** Items sent per second during the timed window (all of them are taken, by the end of the phase). */
  public double sentRate() {
    return recorded / load.seconds();
  }

  static LatencyResult of(double targetRate, PhaseResult load, Histogram latencies) {
    return new LatencyResult(targetRate, load, latencies.getTotalCount(),
        latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(90),
        latencies.getValueAtPercentile(99), latencies.getValueAtPercentile(99.9), latencies.getMaxValue());
  }
}
