package dev.channels.impl.cluster;

import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.core.HazelcastInstance;
import dev.channels.ChannelStatus;
import dev.channels.impl.host.ChannelReplica;
import dev.channels.impl.host.ChannelSettings;
import dev.channels.impl.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The replicas of one host's replicated channels, in Hazelcast maps of the cluster's own Hazelcast
 * instance: one map per channel ({@link Protocol#replicaMap}), with one synchronous backup, holding
 * the channel's state in one entry, as an object (so that a write changes it in place: {@link
 * ApplyChanges}). Those maps are configured here, when the host starts, unless the cluster's
 * configuration has them already.
 */
final class GridReplicas {

  private static final System.Logger LOG = System.getLogger(GridReplicas.class.getName());

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String address;
  /** What the replicas of channels being taken over start from. */
  private final Map<String, ReplicaState> restoring = new HashMap<>();

  private GridReplicas(Vertx vertx, HazelcastInstance hazelcast, String address) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.address = address;
  }

  /** The replicas of a host at {@code address}, or {@code null} if the cluster is not Hazelcast's. */
  static GridReplicas of(Vertx vertx, ClusterManager cluster, String address) {
    return HazelcastMembership.isHazelcast(cluster)
        ? new GridReplicas(vertx, ((HazelcastClusterManager) cluster).getHazelcastInstance(), address)
        : null;
  }

  /** Configures the replicas' maps (a cluster-wide change: a worker's job). */
  Future<Void> configure() {
    return vertx.executeBlocking(() -> {
      MapConfig maps = new MapConfig(Protocol.REPLICA_MAPS).setBackupCount(1).setAsyncBackupCount(0)
          .setInMemoryFormat(InMemoryFormat.OBJECT);
      try {
        hazelcast.getConfig().addMapConfig(maps);
      } catch (InvalidConfigurationException configured) {
        LOG.log(System.Logger.Level.INFO, "the cluster configures the maps {0} itself: {1}", Protocol.REPLICA_MAPS,
            configured.getMessage());
      }
      return null;
    }, false);
  }

  /** Opens the replica of a channel this host creates, or takes over (after {@link #read}). */
  ChannelReplica open(String name, ChannelSettings settings, Supplier<ChannelStatus> status) {
    ReplicaState restored = restoring.remove(name);
    return new GridReplica(vertx, hazelcast, Protocol.replicaMap(address, name), name, settings, status, restored);
  }

  /**
   * Reads the state of a channel to take over ({@code null}: none, it was never created); the
   * replica {@link #open}ed next for it starts from there.
   */
  Future<ReplicaState> read(String name) {
    return ReplicaState.read(vertx, hazelcast, Protocol.replicaMap(address, name), name)
        .onSuccess(state -> {
          if (state != null) {
            restoring.put(name, state);
          }
        });
  }
}
