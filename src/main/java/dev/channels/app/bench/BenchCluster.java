package dev.channels.app.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.channels.app.ClusterSetup;
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
 * How the two JVMs of {@code bench --cluster} join one Hazelcast cluster on loopback: the
 * service's own setup ({@link ClusterSetup}, conf/cluster.xml: TCP-IP join, multicast and
 * auto-detection off, no wait before joining, the event bus's maps as vertx-hazelcast's default)
 * with a cluster name of the run's own, free ports, and the loopback interface only. The bench's
 * JVM joins first, alone ({@code members} its own address); the node it spawns is given that
 * address.
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
    ClusterSetup.Options options = ClusterSetup.Options.defaults().withClusterName(clusterName).withHazelcastPort(port)
        .withMembers(members).withClusterHost(LOOPBACK);
    Config config;
    try {
      config = ClusterSetup.hazelcastConfig(options);
    } catch (IOException unreadable) {
      return Future.failedFuture(new UncheckedIOException("cannot read the cluster configuration", unreadable));
    }
    // the service's configuration, on the loopback interface only, and without a port of another run
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getNetworkConfig().setPortAutoIncrement(false).getInterfaces().setEnabled(true).addInterface(LOOPBACK);
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    VertxOptions vertxOptions = ClusterSetup.vertxOptions(options).setEventLoopPoolSize(eventLoops);
    return Vertx.builder().with(vertxOptions).withClusterManager(manager).buildClustered()
        .map(vertx -> new Member(vertx, manager.getHazelcastInstance()));
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
