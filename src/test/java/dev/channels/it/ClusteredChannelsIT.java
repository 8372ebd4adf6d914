package dev.channels.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelStatus;
import dev.channels.ChannelUnavailableException;
import dev.channels.app.ClusterSetup;
import dev.channels.impl.protocol.Ownership;
import dev.channels.impl.protocol.StatusJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clustered channels across JVMs on loopback (the nodes' embedded configuration creates a channel
 * {@code jobs} at start: these tests use {@code work}): nodes spawned as processes ({@code serve --cluster}
 * and {@link WorkerNode}s), a member in the test's JVM for producers and checks, and kill -9.
 */
class ClusteredChannelsIT {

  private static final String REGISTRY = "channels";

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aWorkerNodeKilledMidwayLosesNothingAndJoinFiresOnce() throws Exception {
    int items = 200_000;
    try (TestCluster cluster = new TestCluster()) {
      cluster.serve("a");
      cluster.serve("b");
      cluster.serve("c");
      Vertx here = cluster.joinHere(null).vertx();
      ChannelClient client = ChannelClient.create(here);
      get(client.create("work", 1_000));
      Channel<Integer> jobs = client.channel("work", Integer.class);

      ProcessedItems processed = ProcessedItems.receive(here, items);
      Map<Integer, Integer> done = processed.done();
      AtomicInteger joined = new AtomicInteger();
      here.eventBus().consumer(client.joinedAddress("work"), event -> joined.incrementAndGet())
          .completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      SpawnedNode doomed = cluster.work("worker-1", "work");
      cluster.work("worker-2", "work");
      Future<Void> produced = produce(jobs, items);
      Eventually.await(here, Duration.ofSeconds(120), "a quarter of the items processed", () -> done.size() >= items / 4);
      doomed.kill();
      get(produced);
      get(jobs.close());

      Eventually.await(here, Duration.ofSeconds(120), "the joined event", () -> joined.get() > 0);
      ChannelStatus status = get(jobs.status());
      assertThat(status.finished()).isTrue();
      assertThat(status.totalPut()).isEqualTo(items);
      assertThat(processed.missing(items)).as("items never processed and acknowledged").isEmpty();
      assertThat(done).as("items processed (none but those put)").hasSize(items);
      assertThat(processed.unmarkedDuplicates()).as("items processed twice though never redelivered").isZero();
      // one more status round trip: a second joined event would have been published before it
      get(jobs.status());
      assertThat(joined.get()).as("joined events").isEqualTo(1);
      System.out.printf("worker killed midway: %,d items, %,d redelivered, %,d processed twice (all marked)%n",
          items, status.redelivered(), processed.duplicatesMarked());
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void theOwnerKilledFailsWaitingClientsUnavailableAndTheChannelLivesOnElsewhere() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      List<SpawnedNode> nodes = List.of(cluster.serve("a"), cluster.serve("b"), cluster.serve("c"));
      Vertx here = cluster.joinHere(null).vertx();
      ChannelClient client = ChannelClient.create(here);
      get(client.create("work", 100));
      Channel<String> jobs = client.channel("work", String.class);
      get(jobs.put("lost with its owner"));
      String owner = ownerOf(here, "work");
      SpawnedNode doomed = nodes.stream().filter(node -> node.nodeId().equals(owner)).findFirst().orElseThrow();

      get(jobs.take()); // the channel is served; now one take waits on it
      Future<String> waiting = jobs.take(Duration.ofSeconds(100));
      long killedAt = System.nanoTime();
      doomed.kill();
      Throwable failure = failure(waiting);
      long failedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      assertThat(failure).isInstanceOf(ChannelUnavailableException.class).hasMessageContaining("'work'")
          .hasMessageContaining(owner);
      assertThat(failedAfterMs).as("failed promptly, not at the take's 100 s").isLessThan(30_000);

      // created again on a survivor; the same Channel object goes on
      ChannelStatus recreated = eventually(() -> client.create("work", 100));
      assertThat(recreated.size()).isZero();
      assertThat(ownerOf(here, "work")).isNotEqualTo(owner).isIn(nodes.stream().map(SpawnedNode::nodeId).toList());
      get(jobs.put("after"));
      assertThat(get(jobs.take())).isEqualTo("after");
      System.out.printf("owner killed: the waiting take failed after %,d ms%n", failedAfterMs);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void concurrentCreatesOfOneNameOnThreeNodesGiveOneChannelWithOneOwner() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      List<SpawnedNode> nodes = List.of(cluster.serve("a"), cluster.serve("b"), cluster.serve("c"));
      Vertx here = cluster.joinHere(null).vertx();
      // the registry's address is served by every node's host: the event bus spreads these over all three
      List<Future<JsonObject>> creates = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        creates.add(here.eventBus().<JsonObject>request(REGISTRY, new JsonObject().put("name", "work").put("capacity", 10),
            new DeliveryOptions().addHeader("action", "create")).map(reply -> reply.body()));
      }
      Set<String> owners = new java.util.HashSet<>();
      for (Future<JsonObject> create : creates) {
        owners.add(Ownership.ownerIn(get(create)));
      }
      assertThat(owners).hasSize(1);
      assertThat(nodes.stream().map(SpawnedNode::nodeId)).contains(owners.iterator().next());
      List<ChannelStatus> listed = get(ChannelClient.create(here).list());
      // once, beside the nodes' configured 'jobs' (itself created once, by whichever node claimed it first)
      assertThat(listed).extracting(ChannelStatus::name).containsExactlyInAnyOrder("work", "jobs");
    }
  }

  /** Put-alls of 200 items from four producers, each waiting for its own batch. */
  private static Future<Void> produce(Channel<Integer> jobs, int items) {
    int producers = 4;
    int batch = 200;
    List<Future<Void>> all = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int first = p * (items / producers);
      int last = first + items / producers;
      all.add(putFrom(jobs, first, last, batch));
    }
    return Future.all(all).mapEmpty();
  }

  private static Future<Void> putFrom(Channel<Integer> jobs, int next, int last, int batch) {
    if (next >= last) {
      return Future.succeededFuture();
    }
    int end = Math.min(last, next + batch);
    List<Integer> items = IntStream.range(next, end).boxed().toList();
    // a put-all enqueues what fits before its deadline: the rest goes again
    return jobs.putAll(items).compose(enqueued -> putFrom(jobs, next + enqueued, last, batch));
  }

  /**
   * The owner node of a channel, from the registry's list; asked again while the request times out
   * (after a kill, until Vert.x has removed the dead node's registrations, the event bus may route
   * a registry request to it).
   */
  private static String ownerOf(Vertx vertx, String name) throws Exception {
    JsonObject list = eventually(() -> vertx.eventBus().<JsonObject>request(REGISTRY, new JsonObject(),
        new DeliveryOptions().addHeader("action", "list").setSendTimeout(5_000)).map(reply -> reply.body()));
    return StatusJson.channels(list).stream().filter(status -> name.equals(status.getString("name")))
        .map(Ownership::ownerIn).findFirst().orElseThrow(() -> new AssertionError("no channel " + name + " in " + list));
  }

  /** The first success of {@code attempt}; tried again, up to 60 s, while the cluster still routes to the dead node. */
  private static <T> T eventually(java.util.function.Supplier<Future<T>> attempt) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Future<T> tried = attempt.get();
      Throwable failed = failure(tried);
      if (failed == null) {
        return tried.result();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no success within 60 s", failed);
      }
    }
  }

  /** Waits for the future; its failure, or {@code null} if it succeeded. */
  private static Throwable failure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException failed) {
      return failed.getCause();
    }
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
