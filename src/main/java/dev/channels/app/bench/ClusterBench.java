package dev.channels.app.bench;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * {@code bench --cluster}: two JVMs on loopback in one Hazelcast cluster, this one and a
 * {@link BenchNode} it spawns (and kills at the end). The node hosts the channels and the echo
 * verticle, and owns the IQueue's partition; this JVM's producers and consumers use them. Measured
 * in one run, after priming:
 *
 * <ol>
 *   <li>in {@code rounds} rounds ({@link ClusterRound}): the clustered event bus's request/reply
 *       rate at 1 in flight; channel per item (put, acknowledged take) 1 x 1; IQueue offer/take
 *       1 x 1; request/reply at producers + consumers in flight; channel per item producers x
 *       consumers; IQueue offer/take at the same;
 *   <li>request/reply at {@link #WIDE_IN_FLIGHT} per requester (the ceiling);
 *   <li>channel streaming: put-all of a batch, consumers streaming;
 *   <li>IQueue addAll/drainTo of a batch.
 * </ol>
 *
 * <p>Every channel and IQueue phase checks that every item put was taken exactly once.
 * {@link #run()} blocks: call it from a thread that is not a Vert.x thread.
 */
public final class ClusterBench {

  /** Requests in flight per requester in the request/reply ceiling. */
  static final int WIDE_IN_FLIGHT = 8;
  private static final long DRAIN_TIMEOUT_SECONDS = 60;
  private static final long CLUSTER_SAFE_TIMEOUT_SECONDS = 60;
  private static final String QUEUE_PREFIX = "bench-queue-";

  private final BenchSettings settings;
  private final Consumer<String> out;
  private BenchCluster.Member member;
  private Vertx vertx;
  private ClientChannels channels;
  /** The IQueue of the per-item phases, bounded by the capacity; of the batch phases, unbounded. */
  private IQueue<Object> queue;
  private IQueue<Object> batchQueue;
  /** The IQueues of the replicated comparison: one synchronous backup, as a replicated channel has. */
  private IQueue<Object> backedUpQueue;
  private IQueue<Object> backedUpBatchQueue;
  private Member node;
  private String queuePlacement;
  private final CpuMeter cpu = new CpuMeter(List.of());
  private final List<BenchVerticle> producers = new ArrayList<>();
  private final List<BenchVerticle> consumers = new ArrayList<>();
  private int channelsCreated;

  public ClusterBench(BenchSettings settings, Consumer<String> out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs every phase, prints the report to {@code out} as it goes, and returns it. */
  public ClusterBenchReport run() {
    String clusterName = "vertx-channels-bench-" + UUID.randomUUID();
    int port = BenchCluster.freePort();
    String address = BenchCluster.LOOPBACK + ":" + port;
    // one event loop for the deploying context, one for every producer and consumer
    member = Bench.settle(BenchCluster.join(clusterName, port, List.of(address), 1 + settings.requesters()),
        "joining the cluster");
    vertx = member.vertx();
    try (NodeProcess node = NodeProcess.start(clusterName, BenchCluster.freePort(), address, out)) {
      String ready = node.awaitReady();
      out.accept("node: pid " + node.pid() + ", member " + ready);
      Member nodeMember = awaitNode();
      this.node = nodeMember;
      deploy();
      channels = new ClientChannels(vertx, Bench.HOST_ADDRESS);
      queue = queueOwnedBy(nodeMember, settings.capacity(), List.of(), 0);
      batchQueue = queueOwnedBy(nodeMember, 0, List.of(queue.getName()), 0);
      backedUpQueue = queueOwnedBy(nodeMember, settings.capacity(), List.of(queue.getName(), batchQueue.getName()), 1);
      backedUpBatchQueue = queueOwnedBy(nodeMember, 0,
          List.of(queue.getName(), batchQueue.getName(), backedUpQueue.getName()), 1);
      awaitEcho();
      return runPhases(nodeMember);
    } finally {
      vertx.close().await();
    }
  }

  /** The node's Hazelcast member, once the cluster has both and its partitions are settled. */
  private Member awaitNode() {
    HazelcastInstance hazelcast = member.hazelcast();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLUSTER_SAFE_TIMEOUT_SECONDS);
    while (hazelcast.getCluster().getMembers().size() < 2 || !hazelcast.getPartitionService().isClusterSafe()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster did not settle with 2 members within " + CLUSTER_SAFE_TIMEOUT_SECONDS
            + " s: " + hazelcast.getCluster().getMembers());
      }
      Bench.pause(0.05);
    }
    if (hazelcast.getCluster().getMembers().size() != 2) {
      throw new IllegalStateException("the bench's cluster has other members: " + hazelcast.getCluster().getMembers());
    }
    return hazelcast.getCluster().getMembers().stream().filter(other -> !other.localMember()).findFirst().orElseThrow();
  }

  private void deploy() {
    // deployed from one context, in order: each verticle takes the next event loop, round robin
    Context deployer = vertx.getOrCreateContext();
    for (int i = 0; i < settings.producers(); i++) {
      producers.add(deployFrom(deployer, new BenchVerticle()));
    }
    for (int i = 0; i < settings.consumers(); i++) {
      consumers.add(deployFrom(deployer, new BenchVerticle()));
    }
  }

  private BenchVerticle deployFrom(Context deployer, BenchVerticle verticle) {
    Promise<String> deployed = Promise.promise();
    deployer.runOnContext(v -> vertx.deployVerticle(verticle, new DeploymentOptions()).onComplete(deployed));
    Bench.settle(deployed.future(), "the deployment of a producer or consumer");
    return verticle;
  }

  /**
   * An IQueue of the bench: with {@code backups} synchronous backups (0 against the unreplicated
   * channels, 1 against the replicated ones), of {@code maxSize} (0: unbounded), and named (other
   * than those {@code taken}) so that its partition is the node's, as the channels are.
   */
  private IQueue<Object> queueOwnedBy(Member node, int maxSize, List<String> taken, int backups) {
    HazelcastInstance hazelcast = member.hazelcast();
    for (int i = 0; i < 10_000; i++) {
      String name = QUEUE_PREFIX + i;
      if (!taken.contains(name) && node.equals(hazelcast.getPartitionService().getPartition(name).getOwner())) {
        hazelcast.getConfig().addQueueConfig(new QueueConfig(name).setBackupCount(backups).setAsyncBackupCount(0)
            .setMaxSize(maxSize));
        String placement = describePlacement(name, node);
        queuePlacement = queuePlacement == null ? placement : queuePlacement + "; " + placement;
        return hazelcast.getQueue(name);
      }
    }
    throw new IllegalStateException("no queue name of 10,000 tried has its partition on the node " + node);
  }

  private String describePlacement(String name, Member node) {
    HazelcastInstance hazelcast = member.hazelcast();
    Member owner = hazelcast.getPartitionService().getPartition(name).getOwner();
    QueueConfig config = hazelcast.getConfig().getQueueConfig(name);
    return String.format("IQueue '%s': partition %d owned by %s, backups %d sync + %d async, max size %s", name,
        hazelcast.getPartitionService().getPartition(name).getPartitionId(), owner.equals(node) ? "the node" : "THIS JVM",
        config.getBackupCount(), config.getAsyncBackupCount(),
        config.getMaxSize() == Integer.MAX_VALUE ? "unbounded" : String.valueOf(config.getMaxSize()));
  }

  /** Asks the echo verticle until it answers: the node's subscriptions have reached this JVM. */
  private void awaitEcho() {
    for (int attempt = 0; ; attempt++) {
      try {
        Bench.settle(vertx.eventBus().request(EchoVerticle.ADDRESS, 0L), "a request to the echo verticle");
        return;
      } catch (ReplyException notYet) {
        if (attempt >= 100) {
          throw notYet;
        }
        Bench.pause(0.1);
      }
    }
  }

  private ClusterBenchReport runPhases(Member node) {
    double loadBefore = Machine.loadAverage();
    int wide = settings.requesters();
    out.accept("JVM and machine: " + Machine.describe());
    out.accept(String.format("1-minute load average before the run: %.2f", loadBefore));
    out.accept("this JVM: " + settings.producers() + " producer and " + settings.consumers()
        + " consumer verticles, each on its own event loop (" + String.join(" ",
        producers.stream().map(verticle -> verticle.thread().getName()).toList()) + " / " + String.join(" ",
        consumers.stream().map(verticle -> verticle.thread().getName()).toList()) + "); the node hosts the channels"
        + " and the echo verticle; " + queuePlacement);
    out.accept(String.format("channel capacity %d, batch %d; per phase %s s warm-up, %s s timed; %d rounds",
        settings.capacity(), settings.batch(), Bench.seconds(settings.warmupSeconds()), Bench.seconds(settings.seconds()),
        settings.rounds()));
    // the first phase to run a code path would otherwise measure the JIT compiling it
    channelPhase(ChannelPhase.PER_ITEM, settings.producers(), settings.consumers(), false);
    channelPhase(ChannelPhase.STREAMING, settings.producers(), settings.consumers(), false);
    queuePhase(QueueLoad.Kind.PER_ITEM, settings.producers(), settings.consumers(), false);
    queuePhase(QueueLoad.Kind.BATCHED, settings.producers(), settings.consumers(), false);
    replicatedPhase(ChannelPhase.PER_ITEM, settings.producers(), settings.consumers(), false);
    replicatedPhase(ChannelPhase.STREAMING, settings.producers(), settings.consumers(), false);
    backedUpQueuePhase(QueueLoad.Kind.PER_ITEM, settings.producers(), settings.consumers(), false);
    backedUpQueuePhase(QueueLoad.Kind.BATCHED, settings.producers(), settings.consumers(), false);
    List<ClusterRound> rounds = new ArrayList<>();
    for (int round = 1; round <= settings.rounds(); round++) {
      out.accept("round " + round + ":");
      rounds.add(new ClusterRound(round,
          report(raw(1, 1)),
          report(channelPhase(ChannelPhase.PER_ITEM, 1, 1, true)),
          report(queuePhase(QueueLoad.Kind.PER_ITEM, 1, 1, true)),
          report(raw(wide, 1)),
          report(channelPhase(ChannelPhase.PER_ITEM, settings.producers(), settings.consumers(), true)),
          report(queuePhase(QueueLoad.Kind.PER_ITEM, settings.producers(), settings.consumers(), true))));
    }
    List<ReplicatedRound> replicatedRounds = new ArrayList<>();
    for (int round = 1; round <= settings.rounds(); round++) {
      out.accept("replicated round " + round + ":");
      replicatedRounds.add(new ReplicatedRound(round,
          report(replicatedPhase(ChannelPhase.PER_ITEM, 1, 1, true)),
          report(backedUpQueuePhase(QueueLoad.Kind.PER_ITEM, 1, 1, true)),
          report(replicatedPhase(ChannelPhase.PER_ITEM, settings.producers(), settings.consumers(), true)),
          report(backedUpQueuePhase(QueueLoad.Kind.PER_ITEM, settings.producers(), settings.consumers(), true))));
    }
    out.accept("once:");
    ClusterPhase rawCeiling = report(raw(wide, WIDE_IN_FLIGHT));
    ClusterPhase streaming = report(channelPhase(ChannelPhase.STREAMING, settings.producers(), settings.consumers(), true));
    ClusterPhase queueBatched = report(queuePhase(QueueLoad.Kind.BATCHED, settings.producers(), settings.consumers(), true));
    ClusterPhase replicatedStreaming = report(replicatedPhase(ChannelPhase.STREAMING, settings.producers(),
        settings.consumers(), true));
    ClusterPhase backedUpBatched = report(backedUpQueuePhase(QueueLoad.Kind.BATCHED, settings.producers(),
        settings.consumers(), true));
    String placementAfter = describePlacement(queue.getName(), node) + "; " + describePlacement(batchQueue.getName(), node)
        + "; " + describePlacement(backedUpQueue.getName(), node) + "; " + describePlacement(backedUpBatchQueue.getName(), node);
    ClusterBenchReport report = new ClusterBenchReport(settings, Machine.describe(), loadBefore, Machine.loadAverage(),
        placementAfter, rounds, rawCeiling, streaming, queueBatched, replicatedRounds, replicatedStreaming, backedUpBatched);
    out.accept("");
    report.lines().forEach(out);
    return report;
  }

  private ClusterPhase report(ClusterPhase phase) {
    PhaseResult result = phase.result();
    out.accept(String.format("  %-18s %,12.0f %s/s (this JVM %s cores, node %s cores, node server %s)%s", result.name(),
        result.rate(), result.accounting() == null ? "replies" : "items", BenchReport.cores(result.usage().processCores()),
        BenchReport.cores(phase.node().processCores()), BenchReport.percent(phase.node().serverBusy()),
        result.accounting() == null ? "" : "; " + result.accounting().describe()));
    return phase;
  }

  /** {@code requesters} requesters (producers' verticles first), each with {@code inFlight} requests to the echo. */
  private ClusterPhase raw(int requesters, int inFlight) {
    List<BenchVerticle> verticles = new ArrayList<>(producers);
    verticles.addAll(consumers);
    List<ProducerTally> tallies = Bench.tallies(requesters * inFlight, i -> new ProducerTally(i, requesters * inFlight));
    List<Future<Void>> running = new ArrayList<>();
    for (int i = 0; i < tallies.size(); i++) {
      ProducerTally tally = tallies.get(i);
      running.add(verticles.get(i / inFlight).call(() -> EchoVerticle.request(vertx.eventBus(), tally)));
    }
    Window window = measure(() -> tallies.stream().mapToLong(ProducerTally::items).sum(), "echo");
    tallies.forEach(ProducerTally::requestStop);
    Bench.settle(Future.all(running), "the requesters' stop");
    String name = "raw x" + requesters * inFlight;
    return window.phase(name, String.format("request/reply, %d requester%s x %d in flight", requesters,
        requesters == 1 ? "" : "s", inFlight), null);
  }

  /**
   * A channel phase on a channel of its own hosted by the node, with the first {@code producerCount}
   * producers and {@code consumerCount} consumers; unmeasured ({@code measured} false: the warm-up
   * only) it primes, and returns {@code null}. Either way every id is accounted for.
   */
  private ClusterPhase channelPhase(ChannelPhase phase, int producerCount, int consumerCount, boolean measured) {
    return channelPhase(phase, producerCount, consumerCount, measured, false);
  }

  /**
   * A phase on a replicated channel, whose replica's partition is the node's (as the backed-up
   * IQueue's is): its backup is in this JVM.
   */
  private ClusterPhase replicatedPhase(ChannelPhase phase, int producerCount, int consumerCount, boolean measured) {
    return channelPhase(phase, producerCount, consumerCount, measured, true);
  }

  private ClusterPhase backedUpQueuePhase(QueueLoad.Kind kind, int producerCount, int consumerCount, boolean measured) {
    return queuePhase(kind, producerCount, consumerCount, measured, true);
  }

  private ClusterPhase channelPhase(ChannelPhase phase, int producerCount, int consumerCount, boolean measured,
      boolean replicated) {
    String name = channelName((replicated ? "replicated-" : "cluster-") + phase.key(), replicated);
    Bench.settle(producers.get(0).call(() -> replicated ? channels.createReplicated(name, settings.capacity())
        : channels.create(name, settings.capacity())), "the creation of channel '" + name + "'");
    List<ProducerTally> putters = Bench.tallies(producerCount, i -> new ProducerTally(i, producerCount));
    List<ConsumerTally> takers = Bench.tallies(consumerCount, i -> new ConsumerTally());
    List<Future<Void>> consuming = new ArrayList<>();
    for (int i = 0; i < consumerCount; i++) {
      ConsumerTally tally = takers.get(i);
      consuming.add(consumers.get(i).call(() -> phase.consume(channels.open(name), tally, settings.batch())));
    }
    List<Future<Void>> producing = new ArrayList<>();
    for (int i = 0; i < producerCount; i++) {
      ProducerTally tally = putters.get(i);
      producing.add(producers.get(i).call(() -> phase.produce(channels.open(name), tally, settings.batch())));
    }
    LongSupplier taken = () -> takers.stream().mapToLong(ConsumerTally::items).sum();
    Window window = measured ? measure(taken, "host") : null;
    if (!measured) {
      Bench.pause(settings.warmupSeconds());
    }
    putters.forEach(ProducerTally::requestStop);
    Bench.settle(Future.all(producing), "the producers' stop on '" + name + "'");
    Bench.settle(producers.get(0).call(() -> channels.open(name).close()), "the close of '" + name + "'");
    Bench.settle(Future.all(consuming), "the consumers' end on '" + name + "'");
    String what = (replicated ? "replicated channel " : "channel ") + phase.describe(settings.batch()) + ", "
        + producerCount + "x" + consumerCount;
    return finish(measured, (replicated ? "r-" : "") + phase.key() + " " + producerCount + "x" + consumerCount, what,
        window, Accounting.of(putters, takers));
  }

  /** A new channel's name; a replicated one's such that its replica's partition is the node's. */
  private String channelName(String prefix, boolean replicated) {
    while (true) {
      String name = prefix + "-" + ++channelsCreated;
      if (!replicated || node.equals(member.hazelcast().getPartitionService().getPartition(name).getOwner())) {
        return name;
      }
    }
  }

  private ClusterPhase queuePhase(QueueLoad.Kind kind, int producerCount, int consumerCount, boolean measured) {
    return queuePhase(kind, producerCount, consumerCount, measured, false);
  }

  private ClusterPhase queuePhase(QueueLoad.Kind kind, int producerCount, int consumerCount, boolean measured,
      boolean backedUp) {
    IQueue<Object> perItem = backedUp ? backedUpQueue : queue;
    IQueue<Object> batched = backedUp ? backedUpBatchQueue : batchQueue;
    QueueLoad load = new QueueLoad(kind == QueueLoad.Kind.PER_ITEM ? perItem : batched, kind, producerCount,
        consumerCount, settings.batch(), settings.capacity());
    load.start();
    Window window = measured ? measure(load::taken, null) : null;
    if (!measured) {
      Bench.pause(settings.warmupSeconds());
    }
    Accounting accounting = load.stopAndDrain(DRAIN_TIMEOUT_SECONDS);
    String key = (backedUp ? "b-" : "") + (kind == QueueLoad.Kind.PER_ITEM ? "iqueue" : "iqueue-batch");
    String what = (backedUp ? "IQueue (1 backup) " : "IQueue ") + kind.describe(settings.batch()) + ", " + producerCount
        + "x" + consumerCount
        + (kind == QueueLoad.Kind.BATCHED ? ", at most " + settings.capacity() + " in the queue" : "");
    return finish(measured, key + " " + producerCount + "x" + consumerCount, what, window, accounting);
  }

  private ClusterPhase finish(boolean measured, String name, String what, Window window, Accounting accounting) {
    if (!measured) {
      out.accept(String.format("  primed %s: %s", what, accounting.describe()));
      if (!accounting.exactlyOnce()) {
        throw new IllegalStateException("priming " + what + ": " + accounting.describe());
      }
      return null;
    }
    return window.phase(name, what, accounting);
  }

  /**
   * The warm-up, then the timed window: how many were counted during it, and the CPU this JVM and
   * the node used meanwhile ({@code server}: the node's event loop serving the requests, "host" or
   * "echo"; {@code null} when no event loop serves them).
   */
  private Window measure(LongSupplier counted, String server) {
    Bench.pause(settings.warmupSeconds());
    CpuMeter.Reading nodeBefore = nodeUsage(server);
    CpuMeter.Reading cpuBefore = cpu.read(Thread.currentThread());
    long before = counted.getAsLong();
    long startedAt = System.nanoTime();
    Bench.pause(settings.seconds());
    long after = counted.getAsLong();
    long endedAt = System.nanoTime();
    CpuMeter.Reading cpuAfter = cpu.read(Thread.currentThread());
    CpuMeter.Reading nodeAfter = nodeUsage(server);
    CpuMeter.Usage local = cpuBefore.until(cpuAfter, endedAt - startedAt);
    CpuMeter.Usage node = nodeBefore.until(nodeAfter, endedAt - startedAt);
    return new Window(after - before, endedAt - startedAt,
        new CpuMeter.Usage(local.processCores(), -1, -1, local.gcMillis()),
        server == null ? new CpuMeter.Usage(node.processCores(), -1, -1, node.gcMillis()) : node);
  }

  private CpuMeter.Reading nodeUsage(String server) {
    JsonObject request = new JsonObject().put("server", server == null ? "host" : server);
    return BenchNode.fromJson(Bench.settle(vertx.eventBus().<JsonObject>request(BenchNode.USAGE_ADDRESS, request),
        "the node's usage").body());
  }

  private record Window(long counted, long nanos, CpuMeter.Usage local, CpuMeter.Usage node) {

    ClusterPhase phase(String name, String what, Accounting accounting) {
      return new ClusterPhase(new PhaseResult(name, what, counted, nanos / 1e9, local, accounting), node);
    }
  }
}
