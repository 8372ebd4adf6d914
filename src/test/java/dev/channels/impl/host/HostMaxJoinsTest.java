package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.OVERLOADED;
import static dev.channels.impl.host.HostRequests.TIMEOUT;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code limits.maxJoins} (default 10000) bounds the joins waiting on one channel: past it, a join
 * that would wait fails 503 OVERLOADED at once; one that need not wait is answered as ever.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostMaxJoinsTest extends HostTestBase {

  private static final long WAIT = 5_000;

  @Test
  void aJoinPastMaxJoinsWaitingJoinsFailsOverloadedAtOnceUntilOneLeaves(VertxTestContext ctx) {
    HostRequests limited = new HostRequests(vertx, "limited");
    JsonObject finished = freshStatus("jobs", 5).put("closed", true).put("finished", true);
    long[] sent = new long[1];
    deploy(new JsonObject().put("address", "limited").put("limits", new JsonObject().put("maxJoins", 2)))
        .compose(v -> limited.create("jobs", 5))
        .compose(v -> {
          Future<JsonObject> first = limited.channel("jobs", "join").timeout(WAIT).json();
          Future<?> leaves = refused(limited.channel("jobs", "join").timeout(200).send(), TIMEOUT, "TIMEOUT");
          sent[0] = System.nanoTime();
          return refused(limited.channel("jobs", "join").timeout(WAIT).send(), OVERLOADED, "OVERLOADED")
              .map(refusal -> {
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent[0])).as("at once").isLessThan(WAIT / 2);
                assertThat(refusal.getMessage()).contains("'jobs'").contains("maxJoins");
                return refusal;
              })
              // a join that may not wait is not a waiting join: 408 as ever
              .compose(v2 -> refused(limited.channel("jobs", "join").timeout(0).send(), TIMEOUT, "TIMEOUT"))
              .compose(v2 -> leaves)
              .compose(v2 -> {
                Future<JsonObject> third = limited.channel("jobs", "join").timeout(WAIT).json();
                return limited.close("jobs").compose(v3 -> Future.all(first, third));
              });
        })
        .map(joins -> assertThat(joins.<JsonObject>list()).containsExactly(finished, finished))
        // a finished channel answers every join at once: none waits
        .compose(v -> Future.all(limited.channel("jobs", "join").json(), limited.channel("jobs", "join").json(),
            limited.channel("jobs", "join").json()))
        .map(joins -> assertThat(joins.<JsonObject>list()).containsOnly(finished))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void maxJoinsIsPerChannel(VertxTestContext ctx) {
    HostRequests limited = new HostRequests(vertx, "limited");
    deploy(new JsonObject().put("address", "limited").put("limits", new JsonObject().put("maxJoins", 1)))
        .compose(v -> Future.all(limited.create("one", 5), limited.create("two", 5)))
        .compose(v -> {
          Future<JsonObject> one = limited.channel("one", "join").timeout(WAIT).json();
          Future<JsonObject> two = limited.channel("two", "join").timeout(WAIT).json();
          return refused(limited.channel("one", "join").timeout(WAIT).send(), OVERLOADED, "OVERLOADED")
              .compose(v2 -> Future.all(limited.close("one"), limited.close("two")))
              .compose(v2 -> Future.all(one, two));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> deploy(JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config)).mapEmpty();
  }
}
