package dev.channels.impl.cluster;

import io.vertx.core.Context;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.function.Consumer;

/**
 * Tells a host when cluster nodes leave and join, on the host's context. Vert.x's own {@code
 * ClusterManager.nodeListener} has a single slot, which Vert.x HA uses, so it is left alone: with
 * Hazelcast, a membership listener of its own ({@link HazelcastMembership}); with another cluster
 * manager, the node list polled ({@link PolledMembership}).
 */
interface Membership extends AutoCloseable {

  /**
   * @param left told the Vert.x node id of a node that left
   * @param joined told when a node joined (or a split cluster merged)
   */
  static Membership watch(VertxInternal vertx, Context context, Consumer<String> left, Runnable joined) {
    ClusterManager cluster = vertx.clusterManager();
    Consumer<String> leftHere = node -> context.runOnContext(v -> left.accept(node));
    Runnable joinedHere = () -> context.runOnContext(v -> joined.run());
    if (HazelcastMembership.isHazelcast(cluster)) {
      return new HazelcastMembership(cluster, leftHere, joinedHere);
    }
    return new PolledMembership(vertx, cluster, leftHere, joinedHere);
  }

  @Override
  void close();
}
