package dev.channels.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelNotFoundException;
import dev.channels.ChannelStatus;
import dev.channels.ChannelUnavailableException;
import dev.channels.AckMode;
import dev.channels.impl.protocol.Action;
import dev.channels.impl.protocol.Failure;
import dev.channels.impl.protocol.Ownership;
import dev.channels.impl.protocol.Protocol;
import dev.channels.impl.protocol.RequestHeaders;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cluster directory over three clustered Vert.x nodes in this JVM (Hazelcast on loopback). */
class ClusterDirectoryTest {

  private final InProcessCluster cluster = new InProcessCluster();

  @AfterEach
  void closeCluster() {
    cluster.close();
  }

  @Test
  void concurrentCreatesOfOneNameOnThreeNodesGiveOneChannelWithOneOwner() throws Exception {
    List<InProcessCluster.Node> nodes = List.of(cluster.start(), cluster.start(), cluster.start());
    List<Future<Message<Object>>> creates = nodes.stream()
        .map(node -> node.vertx().eventBus().<Object>request(InProcessCluster.ADDRESS,
            new JsonObject().put("name", "jobs").put("capacity", 10),
            new DeliveryOptions().addHeader(Protocol.ACTION, "create")))
        .toList();
    Set<String> owners = creates.stream().map(create -> owner(await(create).body())).collect(Collectors.toSet());
    assertThat(owners).hasSize(1);
    String owner = owners.iterator().next();
    assertThat(nodes.stream().map(InProcessCluster.Node::id)).contains(owner);

    List<ChannelStatus> listed = await(client(nodes.get(1)).list());
    assertThat(listed).extracting(ChannelStatus::name).containsExactly("jobs");
    assertThat(listed).extracting(ChannelStatus::owner).as("the typed list names the owner").containsExactly(owner);
    ChannelStatus status = await(client(nodes.get(2)).channel("jobs").status());
    assertThat(status.owner()).as("so does a status from any node").isEqualTo(owner);
    assertThat(status.epoch()).isPositive();
  }

  @Test
  void producersAndTakersOnOtherNodesShareTheOwnersChannel() throws Exception {
    InProcessCluster.Node owner = cluster.start();
    InProcessCluster.Node producerNode = cluster.start();
    InProcessCluster.Node takerNode = cluster.start();
    await(client(owner).create("jobs", 100));
    Channel<Integer> producer = client(producerNode).channel("jobs", Integer.class);
    Channel<Integer> taker = client(takerNode).channel("jobs", Integer.class);
    for (int i = 0; i < 10; i++) {
      await(producer.put(i));
    }
    await(producer.close());
    for (int i = 0; i < 10; i++) {
      assertThat(await(taker.take())).isEqualTo(i);
    }
    await(taker.join());
    // a create from another node finds the channel where it is
    ChannelStatus again = await(client(takerNode).create("jobs", 100));
    assertThat(again.totalTaken()).isEqualTo(10);
  }

  @Test
  void whatAConsumersNodeHeldGoesBackOnceThatNodeLeaves() throws Exception {
    InProcessCluster.Node owner = cluster.start();
    InProcessCluster.Node worker = cluster.start();
    InProcessCluster.Node doomed = cluster.start();
    await(client(owner).create("jobs", 100));
    Channel<String> jobs = client(owner).channel("jobs", String.class);
    await(jobs.put("first"));
    await(jobs.put("second"));
    // the doomed node's consumer never finishes processing: it holds both, unacknowledged (ackTimeoutMs is 30 s)
    ChannelClient doomedClient = client(doomed, new ChannelClientOptions().setAckMode(AckMode.AFTER_PROCESSING));
    doomedClient.<String>channel("jobs", String.class).consume(item -> Promise.promise().future());
    awaitUntil(() -> await(jobs.status()).inFlight() == 2);

    long crashedAt = System.nanoTime();
    doomed.crash();
    Channel<String> survivor = client(worker).channel("jobs", String.class);
    assertThat(await(survivor.take(Duration.ofSeconds(25)))).isEqualTo("first");
    long backMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashedAt);
    assertThat(await(survivor.take(Duration.ofSeconds(25)))).isEqualTo("second");
    assertThat(backMs).as("back soon after the crash, not at the 30 s ack timeout").isLessThan(15_000);
    await(jobs.close());
    await(jobs.join()); // once both are acknowledged
    ChannelStatus status = await(jobs.status());
    assertThat(status.redelivered()).isEqualTo(2);
    assertThat(status.totalTaken()).isEqualTo(2); // taken for good once each: by the survivor
  }

  @Test
  void whenTheOwnerLeavesWaitingClientsFailUnavailableAtOnceAndTheChannelCanBeCreatedAgain() throws Exception {
    InProcessCluster.Node doomed = cluster.start();
    InProcessCluster.Node other = cluster.start();
    InProcessCluster.Node third = cluster.start();
    await(client(doomed).create("jobs", 100));
    ChannelClient otherClient = client(other);
    Channel<String> jobs = otherClient.channel("jobs", String.class);
    Future<String> waiting = jobs.take(Duration.ofSeconds(25));
    // waiting at the owner (a take still on its way to a node that dies is only answered by its timeout)
    awaitUntil(() -> await(jobs.status()).waitingTakers() == 1);

    long crashedAt = System.nanoTime();
    doomed.crash();
    assertThatThrownBy(() -> await(waiting))
        .hasCauseInstanceOf(ChannelUnavailableException.class)
        .cause().hasMessageContaining("jobs").hasMessageContaining("UNAVAILABLE");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashedAt)).isLessThan(15_000);

    // until Vert.x has removed the dead node's registrations, a registry request may go to it
    ChannelStatus recreated = awaitEventually(() -> client(third).create("jobs", 100));
    assertThat(recreated.size()).isZero();
    await(jobs.put("after")); // the same Channel object goes on
    assertThat(await(client(third).<String>channel("jobs", String.class).take())).isEqualTo("after");
  }

  @Test
  void aClientIdleWhileTheOwnersHostRestartsWaitsForTheNextHostButADeletedChannelIsNotFound() throws Exception {
    InProcessCluster.Node owner = cluster.start();
    InProcessCluster.Node other = cluster.start();
    await(client(owner).create("jobs", 100));
    Channel<String> jobs = client(other).channel("jobs", String.class);
    await(jobs.put("before")); // nothing outstanding when the owner's host stops: the client learns nothing then
    AtomicInteger putsSent = new AtomicInteger();
    other.vertx().eventBus().addOutboundInterceptor(delivery -> {
      if ("put".equals(delivery.message().headers().get(Protocol.ACTION))) {
        putsSent.incrementAndGet();
      }
      delivery.next();
    });
    owner.stopHost();

    // sent at once: the owner's node holds the address while its host is stopped, and refuses the
    // put as not served for now (a node without a consumer for it would drop what the other node
    // still routes there, unanswered, for some tens of milliseconds)
    Future<Void> put = jobs.put("during");
    awaitUntil(() -> putsSent.get() > 1 || put.isComplete());
    assertThat(put.isComplete()).as("the put waits for the owner's next host, but it ended with %s",
        put.isComplete() ? put.cause() : null).isFalse();
    owner.startHost();
    await(put);
    assertThat(await(jobs.take())).isEqualTo("before");
    assertThat(await(jobs.take())).isEqualTo("during");

    await(client(other).delete("jobs"));
    assertThatThrownBy(() -> await(jobs.put("after"))).as("deleted: the registry does not list it")
        .hasCauseInstanceOf(ChannelNotFoundException.class);
  }

  @Test
  void aRequestThatReachesTheOwnersNodeWhileItsHostRestartsIsRefusedUnavailableNeverDropped() throws Exception {
    InProcessCluster.Node owner = cluster.start();
    InProcessCluster.Node other = cluster.start();
    await(client(owner).create("jobs", 100));
    String address = InProcessCluster.ADDRESS + ".jobs";
    DeliveryOptions status = RequestHeaders.options(Action.STATUS).setSendTimeout(5_000);
    await(other.vertx().eventBus().request(address, null, status)); // the other node routes the address to the owner's

    for (int restart = 1; restart <= 5; restart++) {
      owner.stopHost();
      int round = restart;
      assertThatThrownBy(() -> await(other.vertx().eventBus().request(address, null, status)))
          .as("restart %d: answered, not dropped (a TIMEOUT)", round)
          .cause().isInstanceOfSatisfying(ReplyException.class,
              refused -> assertThat(refused.failureCode()).isEqualTo(Failure.UNAVAILABLE.code()));
      owner.startHost();
      JsonObject served = (JsonObject) await(other.vertx().eventBus().request(address, null, status)).body();
      assertThat(served.getString("name")).as("restart %d: served again", round).isEqualTo("jobs");
    }
  }

  @Test
  void anOwnerThatSeesANewerClaimStopsServingAtOnce() throws Exception {
    InProcessCluster.Node owner = cluster.start();
    InProcessCluster.Node other = cluster.start();
    await(client(owner).create("jobs", 100));
    Future<String> waiting = client(other).<String>channel("jobs", String.class).take(Duration.ofSeconds(25));
    awaitUntil(() -> await(client(owner).channel("jobs").status()).waitingTakers() == 1);

    // another claim of the name, as a healed split would leave in the map
    await(owner.vertx().sharedData().<String, JsonObject>getAsyncMap(Protocol.ownersMap(InProcessCluster.ADDRESS))
        .compose(owners -> owners.put("jobs", new Ownership(other.id(), Long.MAX_VALUE).toJson())));
    long claimedAt = System.nanoTime();
    // evicted at the next check (every 2 s): no host lists it any more, and its waiting take was
    // refused UNAVAILABLE (the client waits for the channel to be served again, by its new owner)
    awaitUntil(() -> await(client(other).list()).isEmpty());
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - claimedAt)).isLessThan(10_000);
    assertThat(waiting.isComplete()).isFalse();
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(20); // polling a remote status: there is no event to wait on
    }
  }

  /** The first success of {@code attempt}, tried again on a timeout for up to 30 s. */
  private static <T> T awaitEventually(java.util.function.Supplier<Future<T>> attempt) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return await(attempt.get());
      } catch (AwaitException failed) {
        if (!(failed.getCause() instanceof dev.channels.ChannelTimeoutException) || System.nanoTime() > deadline) {
          throw failed;
        }
      }
    }
  }

  private static ChannelClient client(InProcessCluster.Node node) {
    return ChannelClient.create(node.vertx(), new ChannelClientOptions().setAddress(InProcessCluster.ADDRESS));
  }

  private static ChannelClient client(InProcessCluster.Node node, ChannelClientOptions options) {
    return ChannelClient.create(node.vertx(), new ChannelClientOptions(options).setAddress(InProcessCluster.ADDRESS));
  }

  private static String owner(Object status) {
    return Ownership.ownerIn((JsonObject) status);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      throw new AwaitException(failed.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A failed future, its cause as the cause. */
  static final class AwaitException extends RuntimeException {
    AwaitException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
