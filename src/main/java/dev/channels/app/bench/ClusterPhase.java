package dev.channels.app.bench;

/**
 * One measured phase of {@code bench --cluster}: its figure and the bench JVM's CPU
 * ({@code result.usage()}), and what the node JVM (the channel's host, the echo verticle, the
 * IQueue's partition owner) used meanwhile ({@code node}: its process CPU; its serving event
 * loop's busy share for the channel and echo phases).
 */
public record ClusterPhase(PhaseResult result, CpuMeter.Usage node) {

  public String name() {
    return result.name();
  }

  public double rate() {
    return result.rate();
  }

  /** No item lost or duplicated; true for the raw phases, which move no items. */
  public boolean exactlyOnce() {
    return result.accounting() == null || result.exactlyOnce();
  }
}
