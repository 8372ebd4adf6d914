package dev.channels.app.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How the two JVMs of {@code bench --cluster} join one Hazelcast cluster on loopback: TCP-IP join
 * on 127.0.0.1 only (multicast and auto-detection off), no wait before joining, a cluster name of
 * the run's own, and the maps vertx-hazelcast's {@code default-cluster.xml} configures for the
 * event bus. The bench's JVM joins first, alone ({@code members} its own address); the node it
 * spawns is given that address.
 *
 * <p>{@link #join} is the one place that builds the cluster manager, so that the service's own
 * cluster setup can take its place.
 */
final class BenchCluster {

  static final String LOOPBACK = "127.0.0.1";

  /** Hazelcast logs every membership change at INFO; the bench prints what it measures. Held: JUL keeps loggers weakly. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private BenchCluster() {
  }

  /** A member of the bench's cluster: its Vert.x and its Hazelcast instance. */
  record Member(Vertx vertx, HazelcastInstance hazelcast) {
  }

  /**
   * Starts a clustered Vert.x of {@code eventLoops} event loops whose Hazelcast member listens on
   * {@code port} of the loopback interface and joins {@code members} ({@code host:port}) in the
   * cluster {@code clusterName}.
   */
  static Future<Member> join(String clusterName, int port, List<String> members, int eventLoops) {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(clusterName, port, members));
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(eventLoops);
    options.getEventBusOptions().setHost(LOOPBACK).setPort(0).setClusterPublicHost(LOOPBACK);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .map(vertx -> new Member(vertx, manager.getHazelcastInstance()));
  }

  private static Config hazelcastConfig(String clusterName, int port, List<String> members) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(LOOPBACK);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    // as vertx-hazelcast's default-cluster.xml: the event bus's subscriptions and the nodes' information
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }

  /** A TCP port free on the loopback interface now (another process could take it before it is used). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException unavailable) {
      throw new UncheckedIOException("no free port on " + LOOPBACK, unavailable);
    }
  }
}
