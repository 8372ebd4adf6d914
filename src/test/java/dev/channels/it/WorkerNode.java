package dev.channels.it;

import dev.channels.AckMode;
import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelHostVerticle;
import dev.channels.app.ClusterSetup;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * A worker node for the multi-JVM tests, started by {@link SpawnedNode#work}: joins the cluster,
 * serves channels like every node (a host), and consumes the channel named on its command line with
 * {@value #CONSUMERS} consumers (processing is a cluster round trip: one consumer would process one
 * item per round trip), acknowledging each item after processing, which is reporting it to {@value
 * #DONE} and getting the answer. Prints the same ready line as {@code serve --cluster}.
 *
 * <pre>{@code WorkerNode <cluster name> <hazelcast port> <channel>}</pre>
 */
public final class WorkerNode {

  /** Where a worker reports each item it processed: {@code {"item": id, "deliveries": n, "node": id}}. */
  static final String DONE = "it.done";

  /** Consumers per worker node, each processing one item at a time. */
  static final int CONSUMERS = 8;

  /** Each consumer's prefetch: the node holds {@code CONSUMERS * PREFETCH} items at most. */
  static final int PREFETCH = 32;

  private WorkerNode() {
  }

  public static void main(String[] args) throws Exception {
    ClusterSetup setup = joinWithAHost(args[0], Integer.parseInt(args[1]));
    Vertx vertx = setup.vertx();
    String node = setup.nodeId();
    Channel<Integer> channel = ChannelClient.create(vertx, new ChannelClientOptions()
        .setAckMode(AckMode.AFTER_PROCESSING).setPrefetch(PREFETCH)).channel(args[2], Integer.class);
    for (int i = 0; i < CONSUMERS; i++) {
      channel.consumeDeliveries(delivered -> vertx.eventBus().request(DONE, new JsonObject()
          .put("item", delivered.item()).put("deliveries", delivered.deliveries()).put("node", node)));
    }
    ready(setup);
  }

  /** Joins the cluster {@code name} at Hazelcast port {@code port} on loopback, and deploys a host. */
  static ClusterSetup joinWithAHost(String name, int port) throws Exception {
    ClusterSetup setup = new ClusterSetup(ClusterSetup.Options.defaults().withClusterName(name)
        .withHazelcastPort(port).withClusterHost("127.0.0.1"));
    Vertx vertx = setup.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(new JsonObject()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return setup;
  }

  /** Prints the ready line of {@code serve --cluster}, which {@link SpawnedNode} waits for. */
  static void ready(ClusterSetup setup) {
    System.out.println("ready: node " + setup.nodeId() + " serving channels at 'channels' in cluster '"
        + setup.clusterName() + "' (" + setup.members() + " members)");
  }
}
