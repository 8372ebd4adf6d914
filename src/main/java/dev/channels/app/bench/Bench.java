package dev.channels.app.bench;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The bench command: on one non-clustered Vert.x, a host verticle and an echo verticle each on its
 * own event loop, and producer and consumer verticles on the other event loops, it measures in
 * one run, each phase after a warm-up:
 *
 * <ol>
 *   <li>the event bus's request/reply ceiling, as many requesters as producers and consumers,
 *       each with one request in flight, against the echo verticle;
 *   <li>per item: {@code put} and acknowledged {@code take}, one at a time (phases 1 and 2 are
 *       measured {@code rounds} times, alternately; see {@link Round});
 *   <li>batched: {@code putAll} of a batch and {@code take(batch)};
 *   <li>streaming: {@code putAll} of a batch and the client's {@code stream()};
 *   <li>latency: put-to-take percentiles with producers paced at half the rate of phase 2, each
 *       consumer keeping {@code latencyTakes} acknowledged takes in flight.
 * </ol>
 *
 * <p>Phases 2 to 5 check that every item put was taken exactly once. {@link #run()} blocks: call
 * it from a thread that is not a Vert.x thread.
 */
public final class Bench {

  /** The host's address: channels at {@code bench.<name>}. */
  static final String HOST_ADDRESS = "bench";
  private static final long SETTLE_TIMEOUT_SECONDS = 60;
  /** The round of a channel phase that only primes the code paths, unmeasured. */
  private static final int PRIMING = 0;

  private final BenchSettings settings;
  private final Consumer<String> out;
  private CpuMeter cpu;
  private Vertx vertx;
  private ClientChannels channels;
  /** The event-loop threads of the host and of the echo verticle, whose busy time is measured. */
  private Thread host;
  private Thread echo;
  private final List<BenchVerticle> producers = new ArrayList<>();
  private final List<BenchVerticle> consumers = new ArrayList<>();

  public Bench(BenchSettings settings, Consumer<String> out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs every phase, prints the report to {@code out} as it goes, and returns it. */
  public BenchReport run() {
    // one event loop for the deploying context, one each for the host, the echo and every requester
    int eventLoops = 3 + settings.requesters();
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    try {
      channels = new ClientChannels(vertx, HOST_ADDRESS);
      return runPhases(deploy(eventLoops));
    } finally {
      vertx.close().await();
    }
  }

  private EventLoops deploy(int eventLoops) {
    // deployed from one context, in order: each verticle takes the next event loop, round robin
    Context deployer = vertx.getOrCreateContext();
    ObservedHost host = new ObservedHost();
    EchoVerticle echo = new EchoVerticle();
    deployFrom(deployer, host, new DeploymentOptions().setConfig(new JsonObject().put("address", HOST_ADDRESS)));
    deployFrom(deployer, echo, new DeploymentOptions());
    for (int i = 0; i < settings.producers(); i++) {
      producers.add(deployFrom(deployer, new BenchVerticle(), new DeploymentOptions()));
    }
    for (int i = 0; i < settings.consumers(); i++) {
      consumers.add(deployFrom(deployer, new BenchVerticle(), new DeploymentOptions()));
    }
    this.host = host.thread();
    this.echo = echo.thread();
    List<Thread> eventLoopThreads = new ArrayList<>(List.of(host.thread(), echo.thread()));
    producers.forEach(verticle -> eventLoopThreads.add(verticle.thread()));
    consumers.forEach(verticle -> eventLoopThreads.add(verticle.thread()));
    this.cpu = new CpuMeter(eventLoopThreads);
    return new EventLoops(eventLoops, host.thread().getName(), echo.thread().getName(),
        producers.stream().map(verticle -> verticle.thread().getName()).toList(),
        consumers.stream().map(verticle -> verticle.thread().getName()).toList()).check();
  }

  private <V extends Deployable> V deployFrom(Context deployer, V verticle, DeploymentOptions options) {
    Promise<String> deployed = Promise.promise();
    deployer.runOnContext(v -> vertx.deployVerticle(verticle, options).onComplete(deployed));
    settle(deployed.future(), "the deployment of " + verticle.getClass().getSimpleName());
    return verticle;
  }

  private BenchReport runPhases(EventLoops eventLoops) {
    double loadBefore = Machine.loadAverage();
    out.accept("JVM and machine: " + Machine.describe());
    out.accept(String.format("1-minute load average before the run: %.2f", loadBefore));
    out.accept("event loops: " + eventLoops.describe());
    out.accept(String.format("%d producers, %d consumers, channel capacity %d, batch %d, latency takes %d; per phase %s s warm-up, %s s timed",
        settings.producers(), settings.consumers(), settings.capacity(), settings.batch(), settings.latencyTakes(),
        seconds(settings.warmupSeconds()), seconds(settings.seconds())));
    // the first phase to run a code path would otherwise measure the JIT compiling it (seconds on 2 cores)
    for (ChannelPhase phase : ChannelPhase.values()) {
      channelPhase(phase, PRIMING);
    }
    List<Round> rounds = new ArrayList<>();
    for (int round = 1; round <= settings.rounds(); round++) {
      rounds.add(new Round(round, report(rawRequestReply()), report(channelPhase(ChannelPhase.PER_ITEM, round))));
    }
    PhaseResult batched = report(channelPhase(ChannelPhase.BATCHED, 1));
    PhaseResult streaming = report(channelPhase(ChannelPhase.STREAMING, 1));
    LatencyResult latency = latency(Round.median(rounds).perItem().rate() / 2);
    report(latency.load());
    BenchReport report = new BenchReport(settings, Machine.describe(), eventLoops, loadBefore, Machine.loadAverage(),
        rounds, batched, streaming, latency);
    out.accept("");
    report.lines().forEach(out);
    return report;
  }

  private PhaseResult report(PhaseResult phase) {
    out.accept(String.format("  %-10s %,12.0f %s/s (cores %s, server %s, %s B/%s)%s", phase.name(), phase.rate(),
        phase.accounting() == null ? "replies" : "items", BenchReport.cores(phase.usage().processCores()),
        BenchReport.percent(phase.usage().serverBusy()), BenchReport.bytes(phase.bytesPerItem()),
        phase.accounting() == null ? "reply" : "item",
        phase.accounting() == null ? "" : "; " + phase.accounting().describe()));
    return phase;
  }

  private PhaseResult rawRequestReply() {
    List<BenchVerticle> requesters = new ArrayList<>(producers);
    requesters.addAll(consumers);
    List<ProducerTally> tallies = tallies(requesters.size(), i -> new ProducerTally(i, requesters.size()));
    List<Future<Void>> running = new ArrayList<>();
    for (int i = 0; i < requesters.size(); i++) {
      ProducerTally tally = tallies.get(i);
      running.add(requesters.get(i).call(() -> EchoVerticle.request(vertx.eventBus(), tally)));
    }
    Window window = measure(() -> tallies.stream().mapToLong(ProducerTally::items).sum(), echo, () -> { }, () -> { });
    tallies.forEach(ProducerTally::requestStop);
    settle(Future.all(running), "the requesters' stop");
    return new PhaseResult("raw", "request/reply, " + requesters.size() + " requesters x 1 in flight",
        window.counted(), window.seconds(), window.usage(), null);
  }

  /**
   * Runs a channel phase: its warm-up then its timed window, on a channel of its own for each
   * {@code round}; for {@link #PRIMING} only the warm-up (returns {@code null}). Either way the
   * producers then stop, the consumers drain the channel, and every id is accounted for.
   */
  private PhaseResult channelPhase(ChannelPhase phase, int round) {
    boolean measured = round != PRIMING;
    String name = "bench-" + phase.key() + (measured ? "-" + round : "-priming");
    createChannel(name);
    List<ProducerTally> putters = tallies(producers.size(), i -> new ProducerTally(i, producers.size()));
    List<ConsumerTally> takers = tallies(consumers.size(), i -> new ConsumerTally());
    List<Future<Void>> consuming = new ArrayList<>();
    for (int i = 0; i < consumers.size(); i++) {
      ConsumerTally tally = takers.get(i);
      consuming.add(consumers.get(i).call(() -> phase.consume(channels.open(name), tally, settings.batch())));
    }
    List<Future<Void>> producing = new ArrayList<>();
    for (int i = 0; i < producers.size(); i++) {
      ProducerTally tally = putters.get(i);
      producing.add(producers.get(i).call(() -> phase.produce(channels.open(name), tally, settings.batch())));
    }
    Window window = null;
    if (measured) {
      window = measure(() -> takers.stream().mapToLong(ConsumerTally::items).sum(), host, () -> { }, () -> { });
    } else {
      pause(settings.warmupSeconds());
    }
    stopAndDrain(name, putters, producing, consuming);
    Accounting accounting = Accounting.of(putters, takers);
    if (!measured) {
      out.accept(String.format("  primed     %s: %s", phase.describe(settings.batch()), accounting.describe()));
      if (!accounting.exactlyOnce()) {
        throw new IllegalStateException("priming with " + phase.key() + ": " + accounting.describe());
      }
      return null;
    }
    return new PhaseResult(phase.key(), phase.describe(settings.batch()), window.counted(), window.seconds(),
        window.usage(), accounting);
  }

  private LatencyResult latency(double targetRate) {
    String name = "bench-latency";
    createChannel(name);
    LatencyRecorder.Window sendTimes = new LatencyRecorder.Window();
    List<ProducerTally> putters = tallies(producers.size(), i -> new ProducerTally(i, producers.size()));
    List<ConsumerTally> takers = tallies(consumers.size(), i -> new ConsumerTally());
    List<LatencyRecorder> recorders = tallies(consumers.size(), i -> new LatencyRecorder(sendTimes));
    List<Future<Void>> consuming = new ArrayList<>();
    for (int i = 0; i < consumers.size(); i++) {
      ConsumerTally tally = takers.get(i);
      LatencyRecorder recorder = recorders.get(i);
      consuming.add(consumers.get(i).call(() -> recorder.consume(channels.open(name), tally, settings.latencyTakes())));
    }
    List<Future<Void>> producing = new ArrayList<>();
    for (int i = 0; i < producers.size(); i++) {
      ProducerTally tally = putters.get(i);
      producing.add(producers.get(i).call(
          () -> new PacedProducer(vertx, channels.open(name), tally, targetRate / producers.size()).start()));
    }
    Window window = measure(() -> takers.stream().mapToLong(ConsumerTally::items).sum(), host,
        () -> sendTimes.open(System.nanoTime()), () -> sendTimes.close(System.nanoTime()));
    stopAndDrain(name, putters, producing, consuming);
    Accounting accounting = Accounting.counted(putters.stream().mapToLong(ProducerTally::items).sum(),
        takers.stream().mapToLong(ConsumerTally::items).sum());
    PhaseResult load = new PhaseResult("latency", String.format("put paced at %,.0f/s / acked take x%d", targetRate, settings.latencyTakes()),
        window.counted(), window.seconds(), window.usage(), accounting);
    return LatencyResult.of(targetRate, load, LatencyRecorder.merged(recorders));
  }

  private void createChannel(String name) {
    settle(producers.get(0).call(() -> channels.create(name, settings.capacity())), "the creation of channel '" + name + "'");
  }

  /** Stops the producers, then closes the channel; the consumers drain it and end. */
  private void stopAndDrain(String name, List<ProducerTally> putters, List<Future<Void>> producing,
      List<Future<Void>> consuming) {
    putters.forEach(ProducerTally::requestStop);
    settle(Future.all(producing), "the producers' stop on '" + name + "'");
    settle(producers.get(0).call(() -> channels.open(name).close()), "the close of '" + name + "'");
    settle(Future.all(consuming), "the consumers' end on '" + name + "'");
  }

  /**
   * The warm-up, then the timed window: how many were counted during it, its length, and the CPU
   * used meanwhile by the process and by {@code server} (the thread serving the requests).
   */
  private Window measure(LongSupplier counted, Thread server, Runnable opens, Runnable closes) {
    pause(settings.warmupSeconds());
    opens.run();
    CpuMeter.Reading cpuBefore = cpu.read(server);
    long before = counted.getAsLong();
    long startedAt = System.nanoTime();
    pause(settings.seconds());
    long after = counted.getAsLong();
    long endedAt = System.nanoTime();
    CpuMeter.Reading cpuAfter = cpu.read(server);
    closes.run();
    return new Window(after - before, endedAt - startedAt, cpuBefore.until(cpuAfter, endedAt - startedAt));
  }

  private record Window(long counted, long nanos, CpuMeter.Usage usage) {

    double seconds() {
      return nanos / 1e9;
    }
  }

  /** The bench's own thread waits while the load runs; the window is timed by nanoTime, not by this. */
  static void pause(double seconds) {
    try {
      TimeUnit.NANOSECONDS.sleep((long) (seconds * 1e9));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the bench was interrupted", interrupted);
    }
  }

  static <T> T settle(Future<T> future, String what) {
    try {
      return future.await(SETTLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException stuck) {
      throw new IllegalStateException(what + " did not complete within " + SETTLE_TIMEOUT_SECONDS + " s");
    }
  }

  static <T> List<T> tallies(int count, IntFunction<T> create) {
    List<T> tallies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tallies.add(create.apply(i));
    }
    return tallies;
  }

  static String seconds(double seconds) {
    return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
  }
}
