package dev.channels.impl.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Membership of a cluster manager other than Hazelcast's: its node list, compared every {@value #PERIOD_MS} ms. */
final class PolledMembership implements Membership {

  static final long PERIOD_MS = 250;

  private final Vertx vertx;
  private final long timer;
  private Set<String> known;

  PolledMembership(Vertx vertx, ClusterManager cluster, Consumer<String> left, Runnable joined) {
    this.vertx = vertx;
    this.known = new HashSet<>(cluster.getNodes());
    this.timer = vertx.setPeriodic(PERIOD_MS, id -> {
      List<String> now = cluster.getNodes();
      Set<String> current = new HashSet<>(now);
      known.stream().filter(node -> !current.contains(node)).forEach(left);
      if (!known.containsAll(current)) {
        joined.run();
      }
      known = current;
    });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
