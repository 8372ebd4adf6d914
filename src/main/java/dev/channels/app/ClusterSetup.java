package dev.channels.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A clustered Vert.x on Hazelcast, from the cluster flags of {@code serve}, {@code demo} and
 * {@code bench}: the Hazelcast configuration (conf/cluster.xml, or another file) with the flags'
 * overrides, the event bus's host, port and TLS. One place, so that the service, the bench and the
 * tests join a cluster the same way.
 *
 * <pre>{@code
 * ClusterSetup cluster = new ClusterSetup(ClusterSetup.Options.defaults().withClusterName("test"));
 * cluster.start().onSuccess(vertx -> ... cluster.nodeId() ...);
 * }</pre>
 */
public final class ClusterSetup {

  /** The Hazelcast configuration embedded in the jar (the repository's conf/cluster.xml). */
  public static final String DEFAULT_CONFIG_RESOURCE = "conf/cluster.xml";

  /** The event bus's TLS material, PEM files: this node's key and certificate, the certificates it trusts. */
  public record Tls(Path key, Path cert, Path trust) {
    public Tls {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(trust, "trust");
    }
  }

  /**
   * What a node is told on the command line; {@code null} (or 0 for a port) leaves the file's
   * setting, or Vert.x's default.
   *
   * @param configFile the Hazelcast XML, or null for the embedded conf/cluster.xml
   * @param clusterName the Hazelcast cluster's name, overriding the file's
   * @param clusterHost the host the event bus binds to and tells the other nodes
   * @param clusterPort the event bus's port (0: any free port)
   * @param hazelcastPort Hazelcast's first port (auto-increment as in the file)
   * @param members the TCP-IP members, {@code HOST[:PORT]}, replacing the file's list
   * @param tls the event bus's TLS material, or null for a plain event bus
   */
  public record Options(Path configFile, String clusterName, String clusterHost, int clusterPort, int hazelcastPort,
      List<String> members, Tls tls) {

    public Options {
      members = members == null ? null : List.copyOf(members);
    }

    public static Options defaults() {
      return new Options(null, null, null, 0, 0, null, null);
    }

    public Options withConfigFile(Path file) {
      return new Options(file, clusterName, clusterHost, clusterPort, hazelcastPort, members, tls);
    }

    public Options withClusterName(String name) {
      return new Options(configFile, name, clusterHost, clusterPort, hazelcastPort, members, tls);
    }

    public Options withClusterHost(String host) {
      return new Options(configFile, clusterName, host, clusterPort, hazelcastPort, members, tls);
    }

    public Options withClusterPort(int port) {
      return new Options(configFile, clusterName, clusterHost, port, hazelcastPort, members, tls);
    }

    public Options withHazelcastPort(int port) {
      return new Options(configFile, clusterName, clusterHost, clusterPort, port, members, tls);
    }

    public Options withMembers(List<String> hostsAndPorts) {
      return new Options(configFile, clusterName, clusterHost, clusterPort, hazelcastPort, hostsAndPorts, tls);
    }

    public Options withTls(Tls material) {
      return new Options(configFile, clusterName, clusterHost, clusterPort, hazelcastPort, members, material);
    }
  }

  /** How far below and above its own port a node looks for a member entry given without a port. */
  static final int PORT_WINDOW = 5;

  private static final Pattern HAS_PORT = Pattern.compile("(.*[^:]:|\\[.*\\]:)[0-9]+(-[0-9]+)?");

  private final Options options;
  private HazelcastClusterManager clusterManager;
  private Vertx vertx;

  public ClusterSetup(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  public Options options() {
    return options;
  }

  /**
   * Joins the cluster: completes with the clustered Vert.x once Hazelcast has joined (or formed)
   * the cluster and the event bus listens; fails if the configuration cannot be read or the join
   * fails.
   */
  public Future<Vertx> start() {
    Config config;
    try {
      config = hazelcastConfig(options);
    } catch (IOException | RuntimeException unreadable) {
      return Future.failedFuture(new IllegalArgumentException("cannot read the cluster configuration "
          + (options.configFile() == null ? DEFAULT_CONFIG_RESOURCE : options.configFile()) + ": "
          + unreadable.getMessage(), unreadable));
    }
    clusterManager = new HazelcastClusterManager(config);
    return Vertx.builder().with(vertxOptions(options)).withClusterManager(clusterManager).buildClustered()
        .onSuccess(started -> vertx = started);
  }

  /** The cluster manager, once {@link #start()} was called. */
  public HazelcastClusterManager clusterManager() {
    if (clusterManager == null) {
      throw new IllegalStateException("the cluster is not started");
    }
    return clusterManager;
  }

  /** The clustered Vert.x, once {@link #start()} succeeded. */
  public Vertx vertx() {
    if (vertx == null) {
      throw new IllegalStateException("the cluster is not joined");
    }
    return vertx;
  }

  /** This node's id in the cluster (the cluster manager's). */
  public String nodeId() {
    return clusterManager().getNodeId();
  }

  /** The cluster's name, as Hazelcast was configured (the file's, or the override). */
  public String clusterName() {
    return clusterManager().getConfig().getClusterName();
  }

  /** How many nodes the cluster has now, this one included. */
  public int members() {
    return clusterManager().getNodes().size();
  }

  /** Leaves the cluster and closes the Vert.x started, if any. */
  public Future<Void> close() {
    return vertx == null ? Future.succeededFuture() : vertx.close();
  }

  /** The file's (or the embedded) Hazelcast configuration with the options' overrides applied. */
  public static Config hazelcastConfig(Options options) throws IOException {
    Config config;
    try (InputStream xml = options.configFile() == null
        ? embeddedConfig()
        : Files.newInputStream(options.configFile())) {
      config = new XmlConfigBuilder(xml).build();
    }
    if (options.clusterName() != null) {
      config.setClusterName(options.clusterName());
    }
    NetworkConfig network = config.getNetworkConfig();
    if (options.hazelcastPort() > 0) {
      network.setPort(options.hazelcastPort());
    }
    if (options.members() != null) {
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(options.members()));
    }
    if (network.isPortAutoIncrement()) {
      TcpIpConfig tcpIp = network.getJoin().getTcpIpConfig();
      tcpIp.setMembers(aroundPort(tcpIp.getMembers(), network.getPort()));
    }
    return config;
  }

  /**
   * Each member entry without a port becomes that host at the ports within {@link #PORT_WINDOW} of
   * this node's own, below and above. Hazelcast alone tries only this node's port and the two above
   * it, so a node started after another on a lower port (17002 after 17001) would never find it.
   */
  static List<String> aroundPort(List<String> members, int port) {
    List<String> expanded = new ArrayList<>();
    for (String entry : members) {
      for (String member : entry.split(",")) {
        String trimmed = member.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (HAS_PORT.matcher(trimmed).matches()) {
          expanded.add(trimmed);
        } else {
          for (int p = Math.max(1, port - PORT_WINDOW); p <= Math.min(65535, port + PORT_WINDOW); p++) {
            expanded.add(trimmed + ":" + p);
          }
        }
      }
    }
    return expanded;
  }

  /** The event bus's host, port and TLS from the options. */
  public static VertxOptions vertxOptions(Options options) {
    EventBusOptions eventBus = new EventBusOptions();
    if (options.clusterHost() != null) {
      eventBus.setHost(options.clusterHost());
    }
    if (options.clusterPort() > 0) {
      eventBus.setPort(options.clusterPort());
    }
    if (options.tls() != null) {
      // both directions: a node presents its certificate and requires the peer's (client auth), so a
      // node without the material neither sends to nor receives from the others
      eventBus.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions()
              .setKeyPath(options.tls().key().toString())
              .setCertPath(options.tls().cert().toString()))
          .setTrustOptions(new PemTrustOptions().addCertPath(options.tls().trust().toString()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return new VertxOptions().setEventBusOptions(eventBus);
  }

  private static InputStream embeddedConfig() throws IOException {
    InputStream embedded = ClusterSetup.class.getClassLoader().getResourceAsStream(DEFAULT_CONFIG_RESOURCE);
    if (embedded == null) {
      throw new IOException(DEFAULT_CONFIG_RESOURCE + " is not on the class path");
    }
    return embedded;
  }
}
