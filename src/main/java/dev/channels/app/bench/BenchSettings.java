package dev.channels.app.bench;

/**
 * How the bench command is sized. Every phase runs {@code warmupSeconds} of load, then measures
 * for {@code seconds}; the defaults make a run of about one minute.
 *
 * @param producers putting verticles, each on its own event loop
 * @param consumers taking verticles, each on its own event loop
 * @param warmupSeconds load before each phase's timed window (JIT, buffers); may be 0
 * @param seconds each phase's timed window
 * @param capacity the capacity of each phase's channel
 * @param batch items per {@code putAll} and the {@code max} of a batch take (phases 3 and 4)
 * @param latencyTakes takes each consumer keeps in flight in phase 5 (a worker pool of that size)
 * @param rounds how many times phases 1 and 2 are measured, alternately; the per-item ratio is the
 *     median round's
 */
public record BenchSettings(int producers, int consumers, double warmupSeconds, double seconds, int capacity, int batch,
                            int latencyTakes, int rounds) {

  public static final int DEFAULT_PRODUCERS = 2;
  public static final int DEFAULT_CONSUMERS = 2;
  public static final double DEFAULT_WARMUP_SECONDS = 4;
  public static final double DEFAULT_SECONDS = 5;
  public static final int DEFAULT_CAPACITY = 1000;
  public static final int DEFAULT_BATCH = 100;
  /**
   * Phase 5's consumers each keep this many takes in flight. With one, as in phase 2, a consumer
   * can take only one item per round trip, and at half the peak that round trip is slower (the
   * event loops are idle between items and must be woken for every message): the consumers run
   * near their capacity and the latency measured is mostly queueing.
   */
  public static final int DEFAULT_LATENCY_TAKES = 4;
  /**
   * Phases 1 and 2 are measured this many times, one after the other. On a machine with fewer
   * cores than busy event loops both rates swing from run to run (by a third, back to back), so
   * the ratio of one pair is a draw; the median of several pairs measured minutes apart at most is
   * the figure, and every pair is printed.
   */
  public static final int DEFAULT_ROUNDS = 3;
  public static final int MAX_ROUNDS = 100;
  /** The protocol's bound on a put-all and a batch take. */
  public static final int MAX_BATCH = 10_000;
  public static final int MAX_LATENCY_TAKES = 1000;

  public BenchSettings {
    require(producers >= 1, "producers must be at least 1, not " + producers);
    require(consumers >= 1, "consumers must be at least 1, not " + consumers);
    require(warmupSeconds >= 0 && Double.isFinite(warmupSeconds), "warmup must be a number of seconds >= 0, not " + warmupSeconds);
    require(seconds > 0 && Double.isFinite(seconds), "seconds must be a number of seconds > 0, not " + seconds);
    require(capacity >= 1, "capacity must be at least 1, not " + capacity);
    require(batch >= 1 && batch <= MAX_BATCH, "batch must be from 1 to " + MAX_BATCH + ", not " + batch);
    require(latencyTakes >= 1 && latencyTakes <= MAX_LATENCY_TAKES,
        "latency-takes must be from 1 to " + MAX_LATENCY_TAKES + ", not " + latencyTakes);
    require(rounds >= 1 && rounds <= MAX_ROUNDS, "rounds must be from 1 to " + MAX_ROUNDS + ", not " + rounds);
  }

  /** {@code bench --cluster}: its wide per-item phase is 4 x 4; shorter phases, so that a run stays near 2 minutes. */
  public static final int CLUSTER_DEFAULT_PRODUCERS = 4;
  public static final int CLUSTER_DEFAULT_CONSUMERS = 4;
  public static final double CLUSTER_DEFAULT_WARMUP_SECONDS = 2;
  public static final double CLUSTER_DEFAULT_SECONDS = 3;

  public static BenchSettings clusterDefaults() {
    return new BenchSettings(CLUSTER_DEFAULT_PRODUCERS, CLUSTER_DEFAULT_CONSUMERS, CLUSTER_DEFAULT_WARMUP_SECONDS,
        CLUSTER_DEFAULT_SECONDS, DEFAULT_CAPACITY, DEFAULT_BATCH, DEFAULT_LATENCY_TAKES, DEFAULT_ROUNDS);
  }

  public static BenchSettings defaults() {
    return new BenchSettings(DEFAULT_PRODUCERS, DEFAULT_CONSUMERS, DEFAULT_WARMUP_SECONDS, DEFAULT_SECONDS,
        DEFAULT_CAPACITY, DEFAULT_BATCH, DEFAULT_LATENCY_TAKES, DEFAULT_ROUNDS);
  }

  /** Producers and consumers: the concurrency of the request/reply ceiling (phase 1). */
  public int requesters() {
    return producers + consumers;
  }

  private static void require(boolean valid, String message) {
    if (!valid) {
      throw new IllegalArgumentException(message);
    }
  }
}
