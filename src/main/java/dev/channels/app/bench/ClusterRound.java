package dev.channels.app.bench;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One round of {@code bench --cluster}'s per-item comparison, measured back to back: the raw
 * event bus at one request in flight, the channel at 1 producer x 1 consumer, the IQueue at 1 x 1,
 * then the raw event bus at as many requests in flight as the wide channel phase has, the channel
 * at producers x consumers, the IQueue at the same.
 *
 * @param number from 1, in the order measured
 */
public record ClusterRound(int number, ClusterPhase rawOne, ClusterPhase channelOne, ClusterPhase queueOne,
    ClusterPhase rawWide, ClusterPhase channelWide, ClusterPhase queueWide) {

  /** Channel per-item items/s over IQueue offer/take items/s, 1 x 1. */
  public double oneRatio() {
    return channelOne.rate() / queueOne.rate();
  }

  /** Channel per-item items/s over IQueue offer/take items/s, producers x consumers. */
  public double wideRatio() {
    return channelWide.rate() / queueWide.rate();
  }

  List<ClusterPhase> phases() {
    return List.of(rawOne, channelOne, queueOne, rawWide, channelWide, queueWide);
  }

  /** The round whose {@code ratio} is the median (the lower middle one of an even count). */
  static ClusterRound median(List<ClusterRound> rounds, ToDoubleFunction<ClusterRound> ratio) {
    List<ClusterRound> sorted = rounds.stream().sorted(Comparator.comparingDouble(ratio)).toList();
    return sorted.get((sorted.size() - 1) / 2);
  }
}
