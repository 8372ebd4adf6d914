package dev.channels.impl.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Membership through a Hazelcast membership listener of its own, beside the one Vert.x's cluster
 * manager registers. A member's Vert.x node id is its {@code __vertx.nodeId} attribute, as
 * vertx-hazelcast sets it. Loaded only when the cluster manager is Hazelcast's (the dependency is
 * optional).
 */
final class HazelcastMembership implements Membership {

  private static final String HAZELCAST_CLUSTER_MANAGER = "io.vertx.spi.cluster.hazelcast.HazelcastClusterManager";
  /** The member attribute vertx-hazelcast keeps a member's Vert.x node id in. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final HazelcastInstance hazelcast;
  private final UUID registration;

  HazelcastMembership(ClusterManager cluster, Consumer<String> left, Runnable joined) {
    this.hazelcast = ((HazelcastClusterManager) cluster).getHazelcastInstance();
    this.registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        joined.run();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String node = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
        if (node != null) {
          left.accept(node);
        }
      }
    });
  }

  /** Whether {@code cluster} is Hazelcast's, by name: without loading Hazelcast's classes when it is not there. */
  static boolean isHazelcast(ClusterManager cluster) {
    return cluster.getClass().getName().equals(HAZELCAST_CLUSTER_MANAGER);
  }

  @Override
  public void close() {
    if (hazelcast.getLifecycleService().isRunning()) { // else the listener went with its member
      hazelcast.getCluster().removeMembershipListener(registration);
    }
  }
}
