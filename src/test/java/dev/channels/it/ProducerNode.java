package dev.channels.it;

import dev.channels.ChannelClient;
import dev.channels.ChannelProducer;
import dev.channels.app.ClusterSetup;
import java.util.concurrent.TimeUnit;

/**
 * A producer node for the multi-JVM tests, started by {@link SpawnedNode#produce}: joins the
 * cluster, serves channels like every node (a host), attaches a producer to the channel named on
 * its command line, puts the items {@code first} to {@code first + count - 1} into it, and stays
 * attached (renewing its lease) until it is killed. Prints the same ready line as {@code serve
 * --cluster} once its items are in.
 *
 * <pre>{@code ProducerNode <cluster name> <hazelcast port> <channel> <first> <count>}</pre>
 */
public final class ProducerNode {

  private ProducerNode() {
  }

  public static void main(String[] args) throws Exception {
    ClusterSetup setup = WorkerNode.joinWithAHost(args[0], Integer.parseInt(args[1]));
    var channel = ChannelClient.create(setup.vertx()).<Integer>channel(args[2], Integer.class);
    ChannelProducer attached = channel.attach().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    int first = Integer.parseInt(args[3]);
    int count = Integer.parseInt(args[4]);
    for (int i = first; i < first + count; i++) {
      channel.put(i).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    WorkerNode.ready(setup);
    attached.detached().onFailure(lost -> System.out.println("lease lost: " + lost.getMessage()));
  }
}
