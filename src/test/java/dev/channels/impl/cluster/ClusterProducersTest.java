package dev.channels.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelOptions;
import dev.channels.ChannelProducer;
import dev.channels.ChannelStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Producers attached from several cluster nodes to a channel made to close when detached. */
class ClusterProducersTest {

  private final InProcessCluster cluster = new InProcessCluster();

  @AfterEach
  void closeCluster() {
    cluster.close();
  }

  @Test
  void whenOneProducerDetachesAndTheOthersNodeCrashesTheChannelClosesDrainsAndJoins() throws Exception {
    InProcessCluster.Node owner = cluster.start();
    InProcessCluster.Node doomed = cluster.start();
    ChannelClient ownerClient = client(owner);
    await(ownerClient.create("jobs", new ChannelOptions().setCapacity(100).setCloseWhenDetached(true)));
    Channel<String> jobs = ownerClient.channel("jobs", String.class);
    Channel<String> doomedJobs = client(doomed).channel("jobs", String.class);

    ChannelProducer local = await(jobs.attach());
    ChannelProducer remote = await(doomedJobs.attach());
    await(jobs.put("a"));
    await(doomedJobs.put("b"));
    await(local.close());
    ChannelStatus attached = await(jobs.status());
    assertThat(attached.producers()).isEqualTo(1);
    assertThat(attached.closed()).as("the doomed node's producer is still attached").isFalse();
    assertThat(remote.detached().isComplete()).isFalse();

    doomed.crash();
    // its node leaves the cluster (or, at the latest, its lease of leaseMs 10 s ends): the channel closes
    await(closed(owner, jobs, System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
    assertThat(await(jobs.take(Duration.ofSeconds(25)))).isEqualTo("a");
    assertThat(await(jobs.take(Duration.ofSeconds(25)))).isEqualTo("b");
    await(jobs.join());
    ChannelStatus finished = await(jobs.status());
    assertThat(finished.closed()).isTrue();
    assertThat(finished.finished()).isTrue();
    assertThat(finished.producers()).isZero();
  }

  /** Completes once a status says the channel is closed; polled every 20 ms, until {@code deadline} (nanoTime). */
  private static Future<Void> closed(InProcessCluster.Node node, Channel<String> channel, long deadline) {
    return channel.status().compose(status -> {
      if (status.closed()) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(new AssertionError("not closed within 30 s: " + status));
      }
      Promise<Void> later = Promise.promise();
      node.vertx().setTimer(20, id -> closed(node, channel, deadline).onComplete(later));
      return later.future();
    });
  }

  private static ChannelClient client(InProcessCluster.Node node) {
    return ChannelClient.create(node.vertx(), new ChannelClientOptions().setAddress(InProcessCluster.ADDRESS));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
