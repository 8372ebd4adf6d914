package dev.channels.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.app.ClusterSetup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterServeIT {

  @Test
  void threeNodesWithNearbyHazelcastPortsFormOneClusterAndSaySoInTheirReadyLine() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      SpawnedNode first = cluster.serve("a");
      SpawnedNode second = cluster.serve("b");
      SpawnedNode third = cluster.serve("c");

      assertThat(first.membersAtReady()).isEqualTo(1);
      assertThat(second.membersAtReady()).isEqualTo(2);
      assertThat(third.membersAtReady()).isEqualTo(3);
      for (SpawnedNode node : List.of(first, second, third)) {
        assertThat(node.stdout()).as("%s's standard output", node.name()).containsExactly(
            "ready: node " + node.nodeId() + " serving channels at 'channels' in cluster '" + cluster.name()
                + "' (" + node.membersAtReady() + " members)");
        assertThat(node.address()).isEqualTo("channels");
      }
      assertThat(List.of(first.nodeId(), second.nodeId(), third.nodeId())).doesNotHaveDuplicates();

      // a member in the test's JVM sees the three by the ids they printed
      ClusterSetup here = cluster.joinHere(null);
      assertThat(here.clusterManager().getNodes()).contains(first.nodeId(), second.nodeId(), third.nodeId())
          .hasSize(4);

      // SIGTERM: the node leaves the cluster (no failure detection needed) and exits
      int exit = third.stop();
      assertThat(exit).isIn(0, 143);
      Eventually.await(here.vertx(), Duration.ofSeconds(10), "the stopped node leaves the cluster",
          () -> !here.clusterManager().getNodes().contains(third.nodeId()));
      assertThat(here.clusterManager().getNodes()).hasSize(3);
    }
  }
}
