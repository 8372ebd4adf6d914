package dev.channels.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.AckMode;
import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelOptions;
import dev.channels.ChannelStatus;
import dev.channels.impl.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replicated channels over three clustered Vert.x nodes in this JVM: their state survives their owner's death. */
class ReplicatedChannelTest {

  private final InProcessCluster cluster = new InProcessCluster();

  @AfterEach
  void closeCluster() {
    cluster.close();
  }

  @Test
  void whenTheOwnerDiesASurvivorServesEveryItemAcknowledgedAndRedeliversThoseInFlightMarked() throws Exception {
    InProcessCluster.Node owner = cluster.start();
    InProcessCluster.Node producerNode = cluster.start();
    InProcessCluster.Node takerNode = cluster.start();
    ChannelStatus created = await(client(owner).create("jobs", new ChannelOptions().setReplicated(true).setMaxDeliveries(5)));
    assertThat(created.owner()).isEqualTo(owner.id());
    Channel<Integer> producer = client(producerNode).channel("jobs", Integer.class);
    for (int i = 0; i < 100; i++) {
      await(producer.put(i));
    }
    // two items in flight at the failover: handed to acknowledging takes that never answer
    for (int i = 0; i < 2; i++) {
      Message<Object> delivery = await(takerNode.vertx().eventBus().request(InProcessCluster.ADDRESS + ".jobs", null,
          new DeliveryOptions().addHeader(Protocol.ACTION, "take").addHeader(Protocol.ACK, "true")));
      assertThat(delivery.body()).isEqualTo(i);
    }
    await(producer.close());

    owner.crash();

    Channel<Integer> taker = client(takerNode, AckMode.AFTER_PROCESSING).channel("jobs", Integer.class);
    List<Integer> taken = new ArrayList<>();
    List<Integer> redelivered = new ArrayList<>();
    await(taker.consumeDeliveries(delivered -> {
      taken.add(delivered.item());
      if (delivered.redelivered()) {
        redelivered.add(delivered.item());
        assertThat(delivered.deliveries()).as("its delivery count went on").isEqualTo(2);
      }
      return Future.succeededFuture();
    }));
    assertThat(taken).as("every item put, none lost, none twice").containsExactlyInAnyOrderElementsOf(range(100));
    assertThat(redelivered).as("the items in flight at the failover, and only they, come back marked")
        .containsExactlyInAnyOrder(0, 1);
    ChannelStatus status = await(taker.status());
    assertThat(status.owner()).isIn(producerNode.id(), takerNode.id());
    assertThat(status.closed()).as("the closed flag survived").isTrue();
    assertThat(status.finished()).isTrue();
    assertThat(status.totalPut()).as("the counts survived").isEqualTo(100);
    assertThat(status.redelivered()).isEqualTo(2);
  }

  @Test
  void aTakenOverChannelKeepsItsKeysAndItsProducersButThoseOfTheDeadOwnersNode() throws Exception {
    InProcessCluster.Node owner = cluster.start();
    InProcessCluster.Node survivor = cluster.start();
    InProcessCluster.Node other = cluster.start();
    await(client(owner).create("leased", new ChannelOptions().setReplicated(true).setCloseWhenDetached(true)));
    Channel<Integer> onOwner = client(owner).channel("leased", Integer.class);
    Channel<Integer> onSurvivor = client(survivor).channel("leased", Integer.class);
    await(onOwner.attach()); // dies with the owner's node
    var staying = await(onSurvivor.attach());
    await(onSurvivor.putWithKey("order-1", 1));
    await(onSurvivor.putAllWithKey("batch-1", List.of(2, 3)));
    assertThat(await(onSurvivor.status()).producers()).isEqualTo(2);

    owner.crash();

    ChannelStatus after = await(onSurvivor.status()); // sent again to the new owner once it serves
    assertThat(after.owner()).isIn(survivor.id(), other.id());
    assertThat(after.producers()).as("the dead node's producer detached, the other kept").isEqualTo(1);
    assertThat(after.size()).as("the three items put before the failover").isEqualTo(3);
    assertThat(after.closed()).isFalse();
    await(onSurvivor.putWithKey("order-1", 1)); // repeats: remembered across the failover
    assertThat(await(onSurvivor.putAllWithKey("batch-1", List.of(2, 3)))).isEqualTo(2);
    assertThat(await(onSurvivor.status()).totalPut()).as("the repeats enqueued nothing").isEqualTo(3);
    await(staying.close());
    ChannelStatus closed = await(onSurvivor.status());
    assertThat(closed.closed()).as("the last producer detached: closed").isTrue();
    assertThat(await(onSurvivor.take(3))).containsExactly(1, 2, 3);
    await(onSurvivor.join());
  }

  @Test
  void aChannelDeletedAndCreatedAgainAtOnceFailsOverWithTheNewChannelsItemsOnly() throws Exception {
    InProcessCluster.Node owner = cluster.start();
    InProcessCluster.Node survivor = cluster.start();
    cluster.start();
    ChannelClient onOwner = client(owner);
    await(onOwner.create("jobs", new ChannelOptions().setReplicated(true)));
    Channel<Integer> jobs = onOwner.channel("jobs", Integer.class);
    await(jobs.putAll(List.of(1, 2, 3)));
    await(onOwner.delete("jobs")); // its state's removal races with the namesake's first writes
    await(onOwner.create("jobs", new ChannelOptions().setReplicated(true)));
    await(jobs.put(4));
    await(jobs.put(5));

    owner.crash();

    Channel<Integer> onSurvivor = client(survivor).channel("jobs", Integer.class);
    ChannelStatus status = await(onSurvivor.status());
    assertThat(status.owner()).isNotEqualTo(owner.id());
    assertThat(status.size()).as("the new channel's items, none of the deleted one's").isEqualTo(2);
    assertThat(status.totalPut()).isEqualTo(2);
    assertThat(await(onSurvivor.take(5))).containsExactly(4, 5);
  }

  private static List<Integer> range(int n) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return all;
  }

  private static ChannelClient client(InProcessCluster.Node node) {
    return client(node, AckMode.ON_DELIVERY);
  }

  private static ChannelClient client(InProcessCluster.Node node, AckMode ackMode) {
    return ChannelClient.create(node.vertx(), new ChannelClientOptions().setAddress(InProcessCluster.ADDRESS)
        .setAckMode(ackMode));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
