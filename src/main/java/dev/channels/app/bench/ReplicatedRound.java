package dev.channels.app.bench;

import java.util.List;

/**
 * One round of {@code bench --cluster}'s replicated comparison, measured back to back: a replicated
 * channel per item (put, acknowledged take) 1 x 1, an IQueue with one synchronous backup offer/take
 * 1 x 1, then both at producers x consumers.
 *
 * @param number from 1, in the order measured
 */
public record ReplicatedRound(int number, ClusterPhase channelOne, ClusterPhase queueOne, ClusterPhase channelWide,
    ClusterPhase queueWide) {

  /** Replicated channel per-item items/s over backed-up IQueue offer/take items/s, 1 x 1. */
  public double oneRatio() {
    return channelOne.rate() / queueOne.rate();
  }

  /** The same, producers x consumers. */
  public double wideRatio() {
    return channelWide.rate() / queueWide.rate();
  }

  List<ClusterPhase> phases() {
    return List.of(channelOne, queueOne, channelWide, queueWide);
  }

  static ReplicatedRound median(List<ReplicatedRound> rounds, java.util.function.ToDoubleFunction<ReplicatedRound> ratio) {
    List<ReplicatedRound> sorted = rounds.stream().sorted(java.util.Comparator.comparingDouble(ratio)).toList();
    return sorted.get((sorted.size() - 1) / 2);
  }
}
