package dev.channels.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one run of {@code bench --cluster} measured, and the targets as ratios within that run:
 * the channel against Hazelcast's IQueue between the same two members. The targets are reported
 * (PASS or FAIL), never enforced: the bench is a measurement.
 */
public record ClusterBenchReport(BenchSettings settings, String machine, double loadBefore, double loadAfter,
    String queuePlacement, List<ClusterRound> rounds, ClusterPhase rawCeiling, ClusterPhase streaming,
    ClusterPhase queueBatched, List<ReplicatedRound> replicatedRounds, ClusterPhase replicatedStreaming,
    ClusterPhase backedUpBatched) {

  /** Channel per-item items/s at least this times IQueue offer/take items/s, at the same concurrency. */
  public static final double PER_ITEM_TARGET = 1;
  /** Channel streaming items/s (put-all batches) at least this times IQueue addAll/drainTo items/s. */
  public static final double STREAMING_TARGET = 2;
  /** Replicated channel per-item items/s at least this times IQueue (1 backup) offer/take items/s. */
  public static final double REPLICATED_PER_ITEM_TARGET = 0.5;
  /** Replicated channel streaming items/s at least this times IQueue (1 backup) addAll/drainTo items/s. */
  public static final double REPLICATED_STREAMING_TARGET = 1;

  public ClusterBenchReport {
    rounds = List.copyOf(rounds);
    replicatedRounds = List.copyOf(replicatedRounds);
  }

  public ReplicatedRound replicatedMedianOne() {
    return ReplicatedRound.median(replicatedRounds, ReplicatedRound::oneRatio);
  }

  public ReplicatedRound replicatedMedianWide() {
    return ReplicatedRound.median(replicatedRounds, ReplicatedRound::wideRatio);
  }

  public double replicatedStreamingRatio() {
    return replicatedStreaming.rate() / backedUpBatched.rate();
  }

  /** The round with the median 1 x 1 ratio. */
  public ClusterRound medianOne() {
    return ClusterRound.median(rounds, ClusterRound::oneRatio);
  }

  /** The round with the median producers x consumers ratio. */
  public ClusterRound medianWide() {
    return ClusterRound.median(rounds, ClusterRound::wideRatio);
  }

  public double streamingRatio() {
    return streaming.rate() / queueBatched.rate();
  }

  /** Every measured phase, in the order measured. */
  public List<ClusterPhase> phases() {
    return Stream.of(rounds.stream().flatMap(round -> round.phases().stream()),
        replicatedRounds.stream().flatMap(round -> round.phases().stream()),
        Stream.of(rawCeiling, streaming, queueBatched, replicatedStreaming, backedUpBatched)).flatMap(phases -> phases).toList();
  }

  /** Every channel and IQueue phase took every item exactly once. */
  public boolean exactlyOnce() {
    return phases().stream().allMatch(ClusterPhase::exactlyOnce);
  }

  public List<BenchReport.Target> targets() {
    return List.of(
        new BenchReport.Target(String.format("channel per-item 1x1 >= %.0f x IQueue offer/take 1x1", PER_ITEM_TARGET),
            medianOne().oneRatio(), "x", medianOne().oneRatio() >= PER_ITEM_TARGET),
        new BenchReport.Target(String.format("channel per-item %s >= %.0f x IQueue offer/take %s", wide(), PER_ITEM_TARGET,
            wide()), medianWide().wideRatio(), "x", medianWide().wideRatio() >= PER_ITEM_TARGET),
        new BenchReport.Target(String.format("channel streaming >= %.0f x IQueue addAll/drainTo(%d)", STREAMING_TARGET,
            settings.batch()), streamingRatio(), "x", streamingRatio() >= STREAMING_TARGET),
        new BenchReport.Target(String.format("replicated per-item 1x1 >= %.1f x IQueue(1 backup) 1x1",
            REPLICATED_PER_ITEM_TARGET), replicatedMedianOne().oneRatio(), "x",
            replicatedMedianOne().oneRatio() >= REPLICATED_PER_ITEM_TARGET),
        new BenchReport.Target(String.format("replicated per-item %s >= %.1f x IQueue(1 backup) %s", wide(),
            REPLICATED_PER_ITEM_TARGET, wide()), replicatedMedianWide().wideRatio(), "x",
            replicatedMedianWide().wideRatio() >= REPLICATED_PER_ITEM_TARGET),
        new BenchReport.Target(String.format("replicated streaming >= %.0f x IQueue(1 backup) addAll/drainTo(%d)",
            REPLICATED_STREAMING_TARGET, settings.batch()), replicatedStreamingRatio(), "x",
            replicatedStreamingRatio() >= REPLICATED_STREAMING_TARGET));
  }

  /** The phase table, where the per-item time goes, and the targets. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-5s %-18s %-58s %12s %6s %6s %6s %6s  %s", "#", "phase", "what", "items/s", "cores", "node",
        "server", "GC ms", "items put and taken (whole phase)"));
    for (ClusterRound round : rounds) {
      for (ClusterPhase phase : round.phases()) {
        lines.add(row(String.valueOf(round.number()), phase));
      }
    }
    for (ReplicatedRound round : replicatedRounds) {
      for (ClusterPhase phase : round.phases()) {
        lines.add(row("r" + round.number(), phase));
      }
    }
    lines.add(row("-", rawCeiling));
    lines.add(row("-", streaming));
    lines.add(row("-", queueBatched));
    lines.add(row("-", replicatedStreaming));
    lines.add(row("-", backedUpBatched));
    lines.add("cores: CPU of this JVM (producers, consumers, requesters) in the window; node: CPU of the node JVM (host,"
        + " echo, IQueue partition owner); server: busy share of the node's echo (raw) or host (channel) event loop;"
        + " GC ms: this JVM's collectors in the window; raw rows are replies/s");
    lines.add(queuePlacement + " (after the run)");
    if (rounds.size() > 1) {
      lines.add("per-item ratios, channel / IQueue, per round: 1x1 " + ratios(rounds.stream().map(ClusterRound::oneRatio))
          + "; " + wide() + " " + ratios(rounds.stream().map(ClusterRound::wideRatio)) + " (the medians are the figures)");
      lines.add("replicated per-item ratios, replicated channel / IQueue(1 backup), per round: 1x1 "
          + ratios(replicatedRounds.stream().map(ReplicatedRound::oneRatio)) + "; " + wide() + " "
          + ratios(replicatedRounds.stream().map(ReplicatedRound::wideRatio)));
    }
    lines.addAll(whereTheTimeGoes());
    lines.add(String.format("1-minute load average: %.2f before the run, %.2f after (on %d cores, both JVMs)", loadBefore,
        loadAfter, Runtime.getRuntime().availableProcessors()));
    lines.add("targets (ratios within this run; per-item: the median round):");
    for (BenchReport.Target target : targets()) {
      lines.add(String.format("  %-60s %8.3f %-2s  %s", target.name(), target.value(), target.unit(),
          target.pass() ? "PASS" : "FAIL"));
    }
    return lines;
  }

  /**
   * A channel item costs two event-bus round trips: its producer's put and its consumer's take
   * (whose reply is the delivery; the acknowledgement rides on the next take). So the channel's
   * round trips per second are twice its items/s, against the raw rate with as many requests in
   * flight.
   */
  private List<String> whereTheTimeGoes() {
    ClusterRound one = medianOne();
    ClusterRound wide = medianWide();
    return List.of(
        "where the per-item time goes (a channel item = 2 event-bus round trips: the put, and the take that carries the"
            + " previous take's ack):",
        String.format("  1x1: channel %,.0f items/s = %,.0f round trips/s, %.2f x raw at 1 in flight (%,.0f/s), with 2 in"
                + " flight (1 put + 1 take); IQueue 1x1 %,.0f items/s = %.2f x raw at 1 in flight", one.channelOne().rate(),
            2 * one.channelOne().rate(), 2 * one.channelOne().rate() / one.rawOne().rate(), one.rawOne().rate(),
            one.queueOne().rate(), one.queueOne().rate() / one.rawOne().rate()),
        String.format("  %s: channel %,.0f items/s = %,.0f round trips/s, %.2f x raw at the same %d in flight (%,.0f/s);"
                + " IQueue %s %,.0f items/s", wide(), wide.channelWide().rate(), 2 * wide.channelWide().rate(),
            2 * wide.channelWide().rate() / wide.rawWide().rate(), settings.requesters(), wide.rawWide().rate(), wide(),
            wide.queueWide().rate()),
        String.format("  request/reply ceiling: %,.0f replies/s at %d in flight", rawCeiling.rate(),
            settings.requesters() * ClusterBench.WIDE_IN_FLIGHT));
  }

  private String wide() {
    return settings.producers() + "x" + settings.consumers();
  }

  private static String ratios(Stream<Double> ratios) {
    return String.join(", ", ratios.map(ratio -> String.format("%.3f", ratio)).toList());
  }

  private static String row(String round, ClusterPhase phase) {
    PhaseResult result = phase.result();
    return String.format("%-5s %-18s %-58s %,12.0f %6s %6s %6s %6s  %s", round, result.name(), result.what(), result.rate(),
        BenchReport.cores(result.usage().processCores()), BenchReport.cores(phase.node().processCores()),
        BenchReport.percent(phase.node().serverBusy()),
        result.usage().gcMillis() < 0 ? "n/a" : String.valueOf(result.usage().gcMillis()),
        result.accounting() == null ? "(replies/s)" : result.accounting().describe());
  }
}
