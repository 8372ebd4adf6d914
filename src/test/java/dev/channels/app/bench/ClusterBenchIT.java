package dev.channels.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bench --cluster} in a tiny configuration, with its second JVM spawned as in a real run:
 * it completes, measures every phase, moves every item of every channel and IQueue phase exactly
 * once, and the IQueue's partition is the node's. No speed is asserted: targets are reported by
 * the command, never tested.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterBenchIT {

  @Test
  void aTinyClusteredRunReportsEveryPhaseAndTakesEveryItemExactlyOnce() {
    List<String> printed = new CopyOnWriteArrayList<>();
    ClusterBenchReport report = new ClusterBench(new BenchSettings(2, 2, 0.1, 0.2, 50, 10, 1, 1), printed::add).run();

    assertThat(report.phases()).extracting(ClusterPhase::name).containsExactly(
        "raw x1", "per-item 1x1", "iqueue 1x1", "raw x4", "per-item 2x2", "iqueue 2x2",
        "r-per-item 1x1", "b-iqueue 1x1", "r-per-item 2x2", "b-iqueue 2x2",
        "raw x32", "streaming 2x2", "iqueue-batch 2x2", "r-streaming 2x2", "b-iqueue-batch 2x2");
    assertThat(report.phases()).allSatisfy(phase -> assertThat(phase.rate()).as(phase.name()).isPositive());
    for (ClusterPhase phase : report.phases()) {
      Accounting accounting = phase.result().accounting();
      if (phase.name().startsWith("raw")) {
        assertThat(accounting).as(phase.name()).isNull();
        continue;
      }
      assertThat(accounting.identified()).as(phase.name()).isTrue();
      assertThat(accounting.put()).as(phase.name()).isPositive();
      assertThat(accounting.exactlyOnce()).as(phase.name() + ": " + accounting.describe()).isTrue();
    }
    assertThat(report.exactlyOnce()).isTrue();
    assertThat(report.queuePlacement()).contains("owned by the node").doesNotContain("THIS JVM");
    assertThat(report.targets()).hasSize(6);
    assertThat(printed).anyMatch(line -> line.startsWith("node: pid "))
        .anyMatch(line -> line.contains("channel streaming >= 2 x IQueue addAll/drainTo(10)")
            && (line.endsWith("PASS") || line.endsWith("FAIL")))
        .anyMatch(line -> line.contains("replicated streaming >= 1 x IQueue(1 backup) addAll/drainTo(10)")
            && (line.endsWith("PASS") || line.endsWith("FAIL")));
  }
}
