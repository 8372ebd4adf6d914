package dev.channels.app.bench;

import java.util.Comparator;
import java.util.List;

/**
 * One measurement of phase 1 (raw request/reply) followed by one of phase 2 (per item). Both rates
 * swing from run to run on a machine with fewer cores than busy event loops, so the bench measures
 * several rounds and takes the median round's ratio: the figure is neither the luckiest pair nor
 * the unluckiest.
 *
 * @param number from 1, in the order measured
 */
public record Round(int number, PhaseResult raw, PhaseResult perItem) {

  /** Per-item items/s over raw replies/s, within this round. */
  public double ratio() {
    return perItem.rate() / raw.rate();
  }

  /** The round whose ratio is the median (the lower middle one of an even count). */
  static Round median(List<Round> rounds) {
    List<Round> byRatio = rounds.stream().sorted(Comparator.comparingDouble(Round::ratio)).toList();
    return byRatio.get((byRatio.size() - 1) / 2);
  }
}
