package dev.channels.impl.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.impl.EventBusInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Clustered Vert.x nodes in this JVM, each with a host, joined over loopback in a cluster of their
 * own: for tests of the cluster directory that need no process of their own. A node "crashes" as
 * with kill -9: its Hazelcast member is terminated (no goodbye to the others) and its event bus
 * closed (nothing answers at its port any more).
 */
final class InProcessCluster implements AutoCloseable {

  static final String ADDRESS = "channels";

  /** One node: its Vert.x and its Hazelcast member. */
  record Node(Vertx vertx, HazelcastClusterManager cluster) {
    String id() {
      return cluster.getNodeId();
    }

    /** Undeploys this node's host: the node stays in the cluster, its channels parked for its next host. */
    void stopHost() throws Exception {
      for (String deployment : vertx.deploymentIDs()) {
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }

    /** Deploys a host on this node again; returns once it serves. */
    void startHost() throws Exception {
      deployHost(vertx);
    }

    /**
     * Leaves the cluster at once, without a word, and stops answering: what the other nodes see of
     * a kill -9. Terminating the member alone would leave its event bus up, and the others, until
     * they dropped its registrations, could still reach its host, which would still serve its
     * channels (a zombie no process killed with -9 leaves).
     */
    void crash() throws Exception {
      cluster.getHazelcastInstance().getLifecycleService().terminate();
      Promise<Void> closed = Promise.promise();
      ((EventBusInternal) vertx.eventBus()).close(closed); // its registrations cannot be removed: the member is gone
      closed.future().otherwiseEmpty().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private final String name = "channels-test-" + UUID.randomUUID();
  private final int basePort = freePort();
  private final List<Node> nodes = new ArrayList<>();

  /** Starts a node with a host at {@link #ADDRESS}; returns once it has joined and serves. */
  Node start() throws Exception {
    Config config = new Config().setClusterName(name);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.getNetworkConfig().setPort(basePort).setPortAutoIncrement(true).setPortCount(20);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    HazelcastClusterManager cluster = new HazelcastClusterManager(config);
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    Vertx vertx = Vertx.builder().with(options).withClusterManager(cluster).buildClustered()
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Node node = new Node(vertx, cluster);
    nodes.add(node);
    deployHost(vertx);
    awaitSafe(node);
    return node;
  }

  private static void deployHost(Vertx vertx) throws Exception {
    vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("address", ADDRESS)))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * Waits until every partition of the cluster has its backups (Hazelcast's "cluster safe"): a
   * node killed before that may take the only copy of shared data with it, as on any cluster.
   */
  private static void awaitSafe(Node node) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!node.cluster().getHazelcastInstance().getPartitionService().isClusterSafe()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster was not safe within 60 s");
      }
      TimeUnit.MILLISECONDS.sleep(20); // Hazelcast offers no event for it
    }
  }

  static boolean isClustered(Vertx vertx) {
    return ((VertxInternal) vertx).isClustered();
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      try {
        node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // a crashed node closes as it can
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
