package dev.channels.app.bench;

/**
 * One phase's figure: {@code counted} items (phase 1: replies) taken during the timed window of
 * {@code seconds}, and the CPU used meanwhile; {@code accounting} covers the whole phase, warm-up
 * and drain included ({@code null} for phase 1, which moves no items).
 */
public record PhaseResult(String name, String what, long counted, double seconds, CpuMeter.Usage usage,
    Accounting accounting) {

  /** Items (phase 1: replies) per second over the timed window. */
  public double rate() {
    return counted / seconds;
  }

  /** Bytes the event loops allocated per item (phase 1: per request and reply) during the window, or -1. */
  public double bytesPerItem() {
    return usage.bytesPer(counted);
  }

  /** For phases 2 to 5: no item lost or duplicated. */
  public boolean exactlyOnce() {
    return accounting != null && accounting.exactlyOnce();
  }
}
