package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.EMPTY;
import static dev.channels.impl.host.HostRequests.TIMEOUT;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deadlines: the {@code timeout} header, {@code timeout: 0}, and the host's {@code defaultTimeoutMs}
 * for requests without the header. A request that times out gets 408 and changes nothing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostDeadlineTest {

  private static final long DEFAULT_TIMEOUT_MS = 200;
  private static final long WAIT = 5_000;

  private Vertx vertx;
  private HostRequests requests;

  @BeforeEach
  void deployHostWithAShortDefaultTimeout(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    requests = new HostRequests(vertx);
    vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(new JsonObject()
            .put("defaultTimeoutMs", DEFAULT_TIMEOUT_MS)
            .put("channels", new JsonArray()
                .add(new JsonObject().put("name", "full").put("capacity", 1))
                .add(new JsonObject().put("name", "empty").put("capacity", 1))
                .add(new JsonObject().put("name", "meet").put("capacity", 0)))))
        .compose(id -> requests.put("full", "a"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutThatCannotHappenBeforeItsDeadlineFailsTimeoutAfterItAndItsItemNeverEnters(VertxTestContext ctx) {
    long start = System.nanoTime();
    refused(requests.channel("full", "put").timeout(300).body("b").send(), TIMEOUT, "TIMEOUT")
        .map(refusal -> {
          assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(300);
          assertThat(refusal.getMessage()).contains("'full'");
          return refusal;
        })
        .compose(v -> requests.status("full"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("full", 1).put("size", 1).put("put", 1L)))
        .compose(v -> requests.take("full"))
        .map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> refused(requests.channel("full", "poll").send(), EMPTY, "EMPTY"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTakeThatCannotHappenBeforeItsDeadlineFailsTimeoutAfterItAndTakesNothingLater(VertxTestContext ctx) {
    long start = System.nanoTime();
    refused(requests.channel("empty", "take").timeout(300).send(), TIMEOUT, "TIMEOUT")
        .map(refusal -> assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(300))
        .compose(v -> requests.status("empty"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("empty", 1)))
        .compose(v -> requests.put("empty", "later"))
        .compose(v -> requests.status("empty"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("empty", 1).put("size", 1).put("put", 1L)))
        .compose(v -> requests.take("empty"))
        .map(item -> assertThat(item).isEqualTo("later"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRendezvousPutNobodyTakesFailsTimeoutAndCountsNothing(VertxTestContext ctx) {
    refused(requests.channel("meet", "put").timeout(100).body("x").send(), TIMEOUT, "TIMEOUT")
        .compose(v -> requests.status("meet"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0)))
        .compose(v -> refused(requests.channel("meet", "poll").send(), EMPTY, "EMPTY"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aJoinOnAChannelThatDoesNotFinishBeforeItsDeadlineFailsTimeout(VertxTestContext ctx) {
    long start = System.nanoTime();
    refused(requests.channel("full", "join").timeout(150).send(), TIMEOUT, "TIMEOUT")
        .map(refusal -> assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(150))
        .compose(v -> requests.close("full"))
        .compose(v -> requests.take("full"))
        .compose(v -> requests.channel("full", "join").timeout(150).json())
        .map(status -> assertThat(status.getBoolean("finished")).isTrue())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void timeoutZeroFailsAtOnceWhenTheOperationIsNotPossibleNow(VertxTestContext ctx) {
    timesOutAtOnce(requests.channel("full", "put").timeout(0).body("b"))
        .compose(v -> timesOutAtOnce(requests.channel("empty", "take").timeout(0)))
        .compose(v -> timesOutAtOnce(requests.channel("meet", "put").timeout(0).body("x")))
        .compose(v -> timesOutAtOnce(requests.channel("meet", "take").timeout(0)))
        .compose(v -> timesOutAtOnce(requests.channel("empty", "join").timeout(0)))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactlyInAnyOrder(
            freshStatus("full", 1).put("size", 1).put("put", 1L), freshStatus("empty", 1), freshStatus("meet", 0)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void timeoutZeroSucceedsWhenTheOperationIsPossibleNow(VertxTestContext ctx) {
    requests.channel("empty", "put").timeout(0).body("x").send()
        .compose(v -> requests.channel("empty", "take").timeout(0).send())
        .map(reply -> assertThat(reply.body()).isEqualTo("x"))
        .compose(v -> {
          Future<Message<Object>> taker = requests.channel("meet", "take").timeout(WAIT).send();
          return requests.channel("meet", "put").timeout(0).body("y").send().compose(put -> taker);
        })
        .map(reply -> assertThat(reply.body()).isEqualTo("y"))
        .compose(v -> requests.close("empty"))
        .compose(v -> requests.channel("empty", "join").timeout(0).json())
        .map(status -> assertThat(status.getBoolean("finished")).isTrue())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void requestsWithoutATimeoutHeaderFailTimeoutAtTheDefaultDeadline(VertxTestContext ctx) {
    // plain event bus requests, as any Vert.x code would send them: no timeout header, default send timeout
    DeliveryOptions take = new DeliveryOptions().addHeader("action", "take");
    DeliveryOptions put = new DeliveryOptions().addHeader("action", "put");
    DeliveryOptions join = new DeliveryOptions().addHeader("action", "join");
    long start = System.nanoTime();
    List<Future<?>> plain = new ArrayList<>();
    plain.add(refused(vertx.eventBus().request(requests.address("empty"), null, take), TIMEOUT, "TIMEOUT"));
    plain.add(refused(vertx.eventBus().request(requests.address("full"), "b", put), TIMEOUT, "TIMEOUT"));
    plain.add(refused(vertx.eventBus().request(requests.address("meet"), "x", put), TIMEOUT, "TIMEOUT"));
    plain.add(refused(vertx.eventBus().request(requests.address("full"), null, join), TIMEOUT, "TIMEOUT"));
    Future.all(plain)
        .map(v -> assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(DEFAULT_TIMEOUT_MS).isLessThan(WAIT))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactlyInAnyOrder(
            freshStatus("full", 1).put("size", 1).put("put", 1L), freshStatus("empty", 1), freshStatus("meet", 0)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTimeoutHeaderOverridesTheDefaultDeadline(VertxTestContext ctx) {
    Future<Message<Object>> taker = requests.channel("empty", "take").timeout(WAIT).send();
    vertx.timer(3 * DEFAULT_TIMEOUT_MS)
        .compose(v -> requests.status("empty"))
        .map(status -> assertThat(status.getInteger("takers")).as("still waiting past the default").isOne())
        .compose(v -> requests.put("empty", "late"))
        .compose(v -> taker)
        .map(reply -> assertThat(reply.body()).isEqualTo("late"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aWaiterServedBeforeItsDeadlineGetsItsReply(VertxTestContext ctx) {
    Future<Message<Object>> taker = requests.channel("empty", "take").timeout(2 * DEFAULT_TIMEOUT_MS).send();
    requests.put("empty", "in time")
        .compose(v -> taker)
        .map(reply -> assertThat(reply.body()).isEqualTo("in time"))
        // past the deadline, nothing of the served take remains
        .compose(v -> vertx.timer(3 * DEFAULT_TIMEOUT_MS))
        .compose(v -> requests.status("empty"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("empty", 1).put("put", 1L).put("taken", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void manyTimedOutTakesLeaveNoWaitersBehind(VertxTestContext ctx) {
    List<Future<ReplyException>> takes = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      takes.add(refused(requests.channel("empty", "take").timeout(1 + i % 50).send(), TIMEOUT, "TIMEOUT"));
    }
    Future.all(takes)
        .compose(v -> requests.status("empty"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("empty", 1)))
        .compose(v -> requests.put("empty", "x"))
        .compose(v -> requests.take("empty"))
        .map(item -> assertThat(item).isEqualTo("x"))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Sends the request and expects a 408 sooner than the default deadline: it did not wait. */
  private Future<Void> timesOutAtOnce(HostRequests.Request request) {
    long start = System.nanoTime();
    return refused(request.send(), TIMEOUT, "TIMEOUT")
        .map(refusal -> {
          assertThat(elapsedMs(start)).as("%s did not wait", refusal.getMessage()).isLessThan(DEFAULT_TIMEOUT_MS);
          return null;
        });
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
