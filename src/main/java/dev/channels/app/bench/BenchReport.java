package dev.channels.app.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What one run of the bench measured, and the targets as ratios within that run. The targets are
 * reported (PASS or FAIL), never enforced: the bench is a measurement.
 */
public record BenchReport(BenchSettings settings, String machine, EventLoops eventLoops, double loadBefore,
    double loadAfter, List<Round> rounds, PhaseResult batched, PhaseResult streaming, LatencyResult latency) {

  public BenchReport {
    rounds = List.copyOf(rounds);
  }

  /** The round of phases 1 and 2 whose per-item ratio is the median: the one the targets use. */
  public Round median() {
    return Round.median(rounds);
  }

  /** The median round's raw request/reply rate: every ratio of the run is relative to it. */
  public PhaseResult raw() {
    return median().raw();
  }

  /** The median round's per-item phase: phase 5 is paced at half its rate. */
  public PhaseResult perItem() {
    return median().perItem();
  }

  /** Per-item items/s at least this times the raw request/reply rate. */
  public static final double PER_ITEM_TARGET = 0.35;
  /** Streaming items/s at least this times the raw request/reply rate. */
  public static final double STREAMING_TARGET = 3;
  /** p99 put-to-take latency at half the per-item peak below this, in ms. */
  public static final double P99_TARGET_MS = 2;

  /** A target and this run's value. */
  public record Target(String name, double value, String unit, boolean pass) {
  }

  /** The median round's phases 1 and 2, then phases 3, 4 and 5. */
  public List<PhaseResult> phases() {
    return List.of(raw(), perItem(), batched, streaming, latency.load());
  }

  public List<Target> targets() {
    double perItemRatio = median().ratio();
    double streamingRatio = streaming.rate() / raw().rate();
    double p99Ms = latency.p99() / 1e6;
    return List.of(
        new Target(String.format("per-item items/s >= %.2f x raw request/reply", PER_ITEM_TARGET), perItemRatio, "x",
            perItemRatio >= PER_ITEM_TARGET),
        new Target(String.format("streaming items/s >= %.0f x raw request/reply", STREAMING_TARGET), streamingRatio, "x",
            streamingRatio >= STREAMING_TARGET),
        new Target(String.format("p99 put-to-take latency < %.0f ms at half the per-item peak", P99_TARGET_MS), p99Ms,
            "ms", p99Ms < P99_TARGET_MS));
  }

  /** The phase table, the latency percentiles and the targets. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-5s %-10s %-42s %12s %7s %6s %7s %7s %6s  %s", "#", "phase", "what", "items/s", "x raw",
        "cores", "server", "B/item", "GC ms", "items put and taken (whole phase)"));
    for (Round round : rounds) {
      String suffix = rounds.size() == 1 ? "" : "." + round.number() + (round == median() ? "*" : "");
      lines.add(row("1" + suffix, round.raw(), round.raw()));
      lines.add(row("2" + suffix, round.perItem(), round.raw()));
    }
    lines.add(row("3", batched, raw()));
    lines.add(row("4", streaming, raw()));
    lines.add(row("5", latency.load(), raw()));
    lines.add("cores: CPU used by the whole process during the window; server: busy share of the echo's (1) or the host's"
        + " (2-5) event loop; B/item: bytes allocated by all the event loops per item (1: per request and reply); GC ms: collectors' time"
        + " in the window");
    if (rounds.size() > 1) {
      lines.add(String.format("phases 1 and 2 were measured in %d rounds, alternately; per-item ratios %s; * marks the"
          + " median round, which every ratio and phase 5's pace use", rounds.size(),
          String.join(", ", rounds.stream().map(round -> String.format("%.3f", round.ratio())).toList())));
    }
    lines.add(String.format("latency, puts paced at %,.0f items/s (half of the median per-item rate), %d take%s in flight per consumer: sent %,.0f/s and taken %,.0f/s in the"
            + " window; put to take of the %,d items sent in it: p50 %s, p90 %s, p99 %s, p99.9 %s, max %s",
        latency.targetRate(), settings.latencyTakes(), settings.latencyTakes() == 1 ? "" : "s", latency.sentRate(), latency.load().rate(), latency.recorded(), ms(latency.p50()),
        ms(latency.p90()), ms(latency.p99()), ms(latency.p999()), ms(latency.max())));
    lines.add(String.format("1-minute load average: %.2f before the run, %.2f after (on %d cores)", loadBefore, loadAfter,
        Runtime.getRuntime().availableProcessors()));
    lines.add("targets (ratios within this run):");
    for (Target target : targets()) {
      lines.add(String.format("  %-60s %8.3f %-2s  %s", target.name(), target.value(), target.unit(),
          target.pass() ? "PASS" : "FAIL"));
    }
    return lines;
  }

  private static String row(String number, PhaseResult phase, PhaseResult raw) {
    return String.format("%-5s %-10s %-42s %,12.0f %7.2f %6s %7s %7s %6s  %s", number, phase.name(), phase.what(),
        phase.rate(), phase.rate() / raw.rate(), cores(phase.usage().processCores()), percent(phase.usage().serverBusy()),
        bytes(phase.bytesPerItem()), phase.usage().gcMillis() < 0 ? "n/a" : String.valueOf(phase.usage().gcMillis()),
        phase.accounting() == null ? "(replies/s)" : phase.accounting().describe());
  }

  static String cores(double cores) {
    return cores < 0 ? "n/a" : String.format("%.2f", cores);
  }

  static String bytes(double bytes) {
    return bytes < 0 ? "n/a" : String.format("%,.0f", bytes);
  }

  static String percent(double share) {
    return share < 0 ? "n/a" : String.format("%.0f %%", share * 100);
  }

  static String ms(long nanos) {
    return String.format("%.3f ms", nanos / 1e6);
  }
}
