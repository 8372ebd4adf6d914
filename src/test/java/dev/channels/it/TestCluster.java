package dev.channels.it;

import dev.channels.app.ClusterSetup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of a test's own: a unique name, and Hazelcast ports next to each other (free when
 * chosen) so that its members find each other through the loopback entry of conf/cluster.xml.
 * Nodes are spawned JVMs ({@link #serve}) or members in the test's JVM ({@link #joinHere}); close
 * kills the ones and closes the others.
 */
final class TestCluster implements AutoCloseable {

  static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

  /** Enough nearby ports for a test's members; within ClusterSetup's port window of each other. */
  private static final int PORTS = 6;

  private final String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final int firstPort = freePorts(PORTS);
  private int nextPort = firstPort;
  private final List<SpawnedNode> spawned = new ArrayList<>();
  private final List<ClusterSetup> here = new ArrayList<>();

  String name() {
    return name;
  }

  /** {@code serve --cluster} in a JVM of its own, in this cluster, with the extra arguments. */
  SpawnedNode serve(String nodeName, String... extra) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("serve", "--cluster", "--cluster-name", name,
        "--hazelcast-port", String.valueOf(takePort()), "--cluster-host", "127.0.0.1"));
    args.addAll(List.of(extra));
    SpawnedNode node = SpawnedNode.serve(nodeName, args);
    spawned.add(node);
    return node;
  }

  /** A {@link WorkerNode} in a JVM of its own, in this cluster: a host that consumes {@code channel}. */
  SpawnedNode work(String nodeName, String channel) throws IOException, InterruptedException {
    SpawnedNode node = SpawnedNode.work(nodeName, List.of(name, String.valueOf(takePort()), channel));
    spawned.add(node);
    return node;
  }

  /** A {@link ProducerNode} in a JVM of its own, in this cluster: attached to {@code channel}, it puts {@code count} items from {@code first}. */
  SpawnedNode produce(String nodeName, String channel, int first, int count) throws IOException, InterruptedException {
    SpawnedNode node = SpawnedNode.produce(nodeName, List.of(name, String.valueOf(takePort()), channel,
        String.valueOf(first), String.valueOf(count)));
    spawned.add(node);
    return node;
  }

  /** A member in this JVM (no host deployed): a clustered Vert.x for clients, with the TLS material or none. */
  ClusterSetup joinHere(ClusterSetup.Tls tls) throws Exception {
    ClusterSetup setup = new ClusterSetup(ClusterSetup.Options.defaults().withClusterName(name)
        .withHazelcastPort(takePort()).withClusterHost("127.0.0.1").withTls(tls));
    here.add(setup);
    setup.start().toCompletionStage().toCompletableFuture().get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return setup;
  }

  private int takePort() {
    if (nextPort >= firstPort + PORTS) {
      throw new IllegalStateException("a test cluster has " + PORTS + " Hazelcast ports");
    }
    return nextPort++;
  }

  @Override
  public void close() throws Exception {
    for (ClusterSetup setup : here) {
      setup.close().toCompletionStage().toCompletableFuture().get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    for (SpawnedNode node : spawned) {
      node.close();
    }
  }

  /** The first of {@code count} consecutive ports free on the loopback now. */
  static int freePorts(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (int port = first; port < first + count && free; port++) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          socket.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports found");
  }
}
