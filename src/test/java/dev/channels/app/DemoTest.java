package dev.channels.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DemoTest {

  @Test
  void theDemoPassesEveryItemToExactlyOneWorkerAndEndsOnTheJoinedEvent(Vertx vertx, VertxTestContext ctx) {
    List<String> printed = new CopyOnWriteArrayList<>();
    new Demo(vertx, new Demo.Settings(3, 4, 5_000, 10), printed::add).run()
        .onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
          assertThat(summary.items()).isEqualTo(5_000);
          assertThat(summary.eachItemTakenOnce()).isTrue();
          assertThat(summary.shares()).hasSize(4);
          assertThat(LongStream.of(summary.shares()).sum()).isEqualTo(5_000);
          assertThat(printed).anyMatch(line -> line.startsWith("joined: "))
              .anyMatch(line -> line.contains("every item taken exactly once: yes"));
          ctx.completeNow();
        })));
  }

  @Test
  void aDemoWithMoreProducersThanItemsStillEnds(Vertx vertx, VertxTestContext ctx) {
    new Demo(vertx, new Demo.Settings(4, 2, 3, 0), line -> { }).run()
        .onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
          assertThat(summary.items()).isEqualTo(3);
          assertThat(summary.eachItemTakenOnce()).isTrue();
          ctx.completeNow();
        })));
  }
}
