package dev.channels.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelOptions;
import dev.channels.ChannelStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replicated channels across JVMs on loopback: their owner killed with -9, once and then again,
 * while producers put and workers on other nodes take; nothing acknowledged is lost.
 */
class ReplicatedChannelsIT {

  @Test
  @Timeout(value = 400, unit = TimeUnit.SECONDS)
  void theOwnerKilledAndThenTheNewOwnerKilledLoseNoAcknowledgedPutAndJoinFiresOnce() throws Exception {
    int items = 200_000;
    try (TestCluster cluster = new TestCluster()) {
      List<SpawnedNode> nodes = new ArrayList<>(List.of(cluster.serve("a"), cluster.serve("b"), cluster.serve("c")));
      Vertx here = cluster.joinHere(null).vertx();
      ChannelClient client = ChannelClient.create(here);
      ChannelStatus created = get(client.create("work", new ChannelOptions().setCapacity(1_000).setReplicated(true)));
      Channel<Integer> jobs = client.channel("work", Integer.class);

      ProcessedItems processed = ProcessedItems.receive(here, items);
      Map<Integer, Integer> done = processed.done();
      AtomicInteger joined = new AtomicInteger();
      here.eventBus().consumer(client.joinedAddress("work"), event -> joined.incrementAndGet())
          .completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      nodes.add(cluster.work("worker-1", "work"));
      nodes.add(cluster.work("worker-2", "work"));
      Future<Void> produced = produce(jobs, items);

      Eventually.await(here, Duration.ofSeconds(120), "a quarter of the items processed", () -> done.size() >= items / 4);
      long first = killOwner(here, jobs, nodes, created.owner());
      awaitClusterSafe(here);
      Eventually.await(here, Duration.ofSeconds(120), "half of the items processed", () -> done.size() >= items / 2);
      long second = killOwner(here, jobs, nodes, get(jobs.status()).owner());

      get(produced);
      get(jobs.close());
      Eventually.await(here, Duration.ofSeconds(120), "the joined event", () -> joined.get() > 0);
      ChannelStatus status = get(jobs.status());
      assertThat(status.finished()).isTrue();
      assertThat(status.totalPut()).as("every put acknowledged, each enqueued once").isEqualTo(items);
      List<Integer> missing = processed.missing(items);
      if (!missing.isEmpty()) {
        System.out.printf("%,d items never processed (first: %s); status %s; taken over at %,d and %,d ms%n",
            missing.size(), missing.subList(0, Math.min(20, missing.size())), status, first, second);
        nodes.forEach(node -> node.output().lines().filter(line -> line.contains("WARNING") || line.contains("SEVERE")
            || line.contains("took it over") || line.contains("Exception")).limit(40)
            .forEach(line -> System.out.println("  " + node.name() + ": " + line.trim())));
      }
      assertThat(missing).as("items put but never taken and processed").isEmpty();
      assertThat(done).as("items processed (none but those put)").hasSize(items);
      assertThat(processed.unmarkedDuplicates()).as("items processed twice though never redelivered").isZero();
      get(jobs.status()); // one more round trip: a second joined event would have been published before it
      assertThat(joined.get()).as("joined events").isEqualTo(1);
      System.out.printf("replicated channel, owner killed twice: %,d items; takeovers served %,d ms and %,d ms after"
              + " the kills; %,d redelivered, %,d processed twice (all marked)%n",
          items, first, second, status.redelivered(), processed.duplicatesMarked());
      nodes.forEach(node -> node.output().lines().filter(line -> line.contains("took it over"))
          .forEach(line -> System.out.println("  " + node.name() + ": " + line.trim())));
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void putsRetriedWithTheirKeysAcrossAFailoverAreEnqueuedOnce() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      List<SpawnedNode> nodes = new ArrayList<>(List.of(cluster.serve("a"), cluster.serve("b"), cluster.serve("c")));
      Vertx here = cluster.joinHere(null).vertx();
      ChannelClient client = ChannelClient.create(here);
      ChannelStatus created = get(client.create("keyed", new ChannelOptions().setReplicated(true)));
      Channel<Integer> keyed = client.channel("keyed", Integer.class);
      for (int i = 0; i < 500; i++) {
        get(keyed.putWithKey("order-" + i, i));
      }
      killOwner(here, keyed, nodes, created.owner());
      // a producer that never heard back sends every put again, with its key, and goes on
      for (int i = 0; i < 1_000; i++) {
        get(keyed.putWithKey("order-" + i, i));
      }
      get(keyed.putAllWithKey("batch", List.of(1_000, 1_001)));
      get(keyed.putAllWithKey("batch", List.of(1_000, 1_001)));
      get(keyed.close());
      List<Integer> taken = new ArrayList<>();
      get(keyed.consume(item -> {
        taken.add(item);
        return Future.succeededFuture();
      }));
      assertThat(taken).as("each key enqueued once, in order").containsExactlyElementsOf(
          IntStream.range(0, 1_002).boxed().toList());
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void whenOneProducerDetachesAndTheOtherProducersNodeIsKilledTheChannelClosesDrainsAndJoins() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      cluster.serve("a");
      cluster.serve("b");
      Vertx here = cluster.joinHere(null).vertx();
      ChannelClient client = ChannelClient.create(here);
      get(client.create("leased", new ChannelOptions().setReplicated(true).setCloseWhenDetached(true)));
      Channel<Integer> leased = client.channel("leased", Integer.class);
      AtomicInteger joined = new AtomicInteger();
      here.eventBus().consumer(client.joinedAddress("leased"), event -> joined.incrementAndGet())
          .completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      var mine = get(leased.attach());
      get(leased.putAll(IntStream.range(0, 100).boxed().toList()));
      SpawnedNode producerNode = cluster.produce("producer", "leased", 100, 100); // attached, its 100 items in
      assertThat(get(leased.status()).producers()).as("two producers attached").isEqualTo(2);

      get(mine.close());
      ChannelStatus afterDetach = get(leased.status());
      assertThat(afterDetach.closed()).as("one producer still attached: open").isFalse();
      assertThat(afterDetach.producers()).isEqualTo(1);

      producerNode.kill();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!get(leased.status()).closed()) { // each status is a round trip: no busy loop
        assertThat(System.nanoTime()).as("the channel closed within 60 s of the last producer's node leaving")
            .isLessThan(deadline);
      }
      List<Integer> drained = new ArrayList<>();
      get(leased.consume(item -> {
        drained.add(item);
        return Future.succeededFuture();
      }));
      assertThat(drained).as("both producers' items, drained").containsExactlyInAnyOrderElementsOf(
          IntStream.range(0, 200).boxed().toList());
      Eventually.await(here, Duration.ofSeconds(30), "the joined event", () -> joined.get() > 0);
      get(leased.status());
      assertThat(joined.get()).as("joined events").isEqualTo(1);
    }
  }

  /**
   * Kills the node that owns the channel, and returns how long after the kill the channel was
   * served by another node (a status that names a new owner).
   */
  private static long killOwner(Vertx here, Channel<Integer> channel, List<SpawnedNode> nodes, String owner)
      throws Exception {
    SpawnedNode doomed = nodes.stream().filter(node -> node.nodeId().equals(owner)).findFirst()
        .orElseThrow(() -> new AssertionError("no spawned node owns the channel: " + owner));
    long killedAt = System.nanoTime();
    doomed.kill();
    nodes.remove(doomed);
    while (true) {
      ChannelStatus status = get(channel.status());
      if (!owner.equals(status.owner())) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      }
    }
  }

  /** Waits until every partition has its backup again: a second kill before then may take the only copy. */
  private static void awaitClusterSafe(Vertx here) throws Exception {
    HazelcastInstance hazelcast = ((HazelcastClusterManager) ((VertxInternal) here).clusterManager()).getHazelcastInstance();
    Eventually.await(here, Duration.ofSeconds(60), "the cluster safe again", () -> hazelcast.getPartitionService().isClusterSafe());
  }

  /** Put-alls of 200 items from four producers, each waiting for its own batch. */
  private static Future<Void> produce(Channel<Integer> jobs, int items) {
    int producers = 4;
    List<Future<Void>> all = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int first = p * (items / producers);
      all.add(putFrom(jobs, first, first + items / producers, 200));
    }
    return Future.all(all).mapEmpty();
  }

  private static Future<Void> putFrom(Channel<Integer> jobs, int next, int last, int batch) {
    if (next >= last) {
      return Future.succeededFuture();
    }
    List<Integer> items = IntStream.range(next, Math.min(last, next + batch)).boxed().toList();
    return jobs.putAll(items).compose(enqueued -> putFrom(jobs, next + enqueued, last, batch));
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
