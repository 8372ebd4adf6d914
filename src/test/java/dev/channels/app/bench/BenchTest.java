package dev.channels.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bench command in a tiny configuration: it completes, measures every phase, and moves every
 * item exactly once. No speed is asserted here: targets are reported by the command, never tested.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchTest {

  @Test
  void aTinyRunReportsEveryPhaseAndTakesEveryItemExactlyOnce() {
    List<String> printed = new CopyOnWriteArrayList<>();
    BenchReport report = new Bench(new BenchSettings(2, 3, 0.1, 0.2, 50, 10, 2, 2), printed::add).run();

    assertThat(report.phases()).extracting(PhaseResult::name)
        .containsExactly("raw", "per-item", "batched", "streaming", "latency");
    assertThat(report.phases()).allSatisfy(phase -> assertThat(phase.rate()).as(phase.name()).isPositive());
    for (PhaseResult phase : List.of(report.perItem(), report.batched(), report.streaming())) {
      Accounting accounting = phase.accounting();
      assertThat(accounting.identified()).as(phase.name()).isTrue();
      assertThat(accounting.put()).as(phase.name()).isPositive();
      assertThat(accounting.exactlyOnce()).as(phase.name() + ": " + accounting.describe()).isTrue();
    }
    assertThat(report.latency().load().exactlyOnce()).as(report.latency().load().accounting().describe()).isTrue();
    assertThat(report.latency().recorded()).isPositive();
    assertThat(report.rounds()).hasSize(2);
    assertThat(report.rounds()).allSatisfy(round -> assertThat(round.perItem().exactlyOnce()).isTrue());
    assertThat(report.latency().targetRate()).isEqualTo(report.median().perItem().rate() / 2);
    assertThat(report.eventLoops().allDistinct()).as(report.eventLoops().describe()).isTrue();
    assertThat(report.targets()).hasSize(3);
    assertThat(printed).anyMatch(line -> line.startsWith("event loops: host "))
        .anyMatch(line -> line.startsWith("JVM and machine: "))
        .anyMatch(line -> line.contains("streaming items/s >= 3 x raw request/reply")
            && (line.endsWith("PASS") || line.endsWith("FAIL")));
  }

  @Test
  void settingsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> new BenchSettings(0, 1, 1, 1, 1, 1, 1, 1))
        .hasMessageContaining("producers");
    assertThatThrownBy(() -> new BenchSettings(1, 1, 1, 0, 1, 1, 1, 1))
        .hasMessageContaining("seconds");
    assertThatThrownBy(() -> new BenchSettings(1, 1, 1, 1, 1, 10_001, 1, 1))
        .hasMessageContaining("batch");
    assertThatThrownBy(() -> new BenchSettings(1, 1, 1, 1, 1, 1, 1001, 1))
        .hasMessageContaining("latency-takes");
    assertThatThrownBy(() -> new BenchSettings(1, 1, 1, 1, 1, 1, 1, 0))
        .hasMessageContaining("rounds");
  }

  @Test
  void theMedianRoundIsTheOneWithTheMiddleRatio() {
    Round low = round(1, 100, 20);
    Round middle = round(2, 100, 40);
    Round high = round(3, 50, 30);

    assertThat(Round.median(List.of(high, low, middle))).isSameAs(middle);
    assertThat(Round.median(List.of(high, low))).as("the lower middle of an even count").isSameAs(low);
    assertThat(Round.median(List.of(high))).isSameAs(high);
  }

  private static Round round(int number, long raw, long perItem) {
    CpuMeter.Usage usage = new CpuMeter.Usage(-1, -1, -1, -1);
    return new Round(number, new PhaseResult("raw", "raw", raw, 1, usage, null),
        new PhaseResult("per-item", "per-item", perItem, 1, usage, null));
  }
}
