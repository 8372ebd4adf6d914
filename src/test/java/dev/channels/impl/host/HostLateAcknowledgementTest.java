package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.ACK_EXPIRED;
import static dev.channels.impl.host.HostRequests.EMPTY;
import static dev.channels.impl.host.HostRequests.assertDeliveryHeaders;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.AsyncResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A request riding on an acknowledgement (sent with {@code replyAndRequest} on the delivery) always
 * gets an answer: if the acknowledgement came in time, the request is handled; if it came after the
 * host's ack deadline ({@code ackTimeoutMs}), the item had gone back, and the request is refused
 * 412 ACK_EXPIRED, unhandled, rather than dropped without a word.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostLateAcknowledgementTest extends HostTestBase {

  private static final long WAIT = 5_000;
  /** The ack deadline of the host at {@code quick}. */
  private static final long ACK_TIMEOUT_MS = 200;
  private static final int RIDES = 200;

  @Test
  void aRequestRidingOnAnAcknowledgementAfterTheAckDeadlineIsRefusedAckExpiredAndNotHandled(VertxTestContext ctx) {
    HostRequests quick = new HostRequests(vertx, "quick");
    deploy()
        .compose(v -> quick.create("jobs", 5))
        .compose(v -> quick.put("jobs", "a"))
        .compose(v -> quick.takeWithAck("jobs"))
        // the deadline passes: a goes back, to the take waiting for it
        .compose(late -> quick.channel("jobs", "take").timeout(WAIT).send()
            .map(returned -> {
              assertThat(returned.body()).isEqualTo("a");
              assertDeliveryHeaders(returned, "2", true);
              return late;
            }))
        .compose(late -> quick.put("jobs", "b").map(late))
        .compose(late -> refused(quick.riding(late, "take").header("ack", "true").timeout(0).send(),
            ACK_EXPIRED, "ACK_EXPIRED"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("ackTimeoutMs"))
        .compose(v -> quick.status("jobs"))
        .map(status -> assertThat(status).as("the riding take took nothing")
            .isEqualTo(freshStatus("jobs", 5).put("size", 1).put("put", 2L).put("taken", 1L).put("redelivered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRequestRidingOnAnAcknowledgementInTimeIsHandled(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(a -> requests.riding(a, "poll").send())
        .map(b -> assertThat(b.body()).isEqualTo("b"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 2L).put("taken", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void everyRequestRidingOnAnAcknowledgementAroundTheAckDeadlineIsAnsweredHandledOrAckExpired(VertxTestContext ctx) {
    HostRequests quick = new HostRequests(vertx, "quick");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Rides rides = new Rides();
    JsonArray items = new JsonArray();
    for (int i = 0; i < RIDES; i++) {
      items.add(i);
    }
    deploy()
        .compose(v -> quick.create("jobs"))
        .compose(v -> quick.channel("jobs", "put-all").body(items).json())
        .compose(v -> {
          List<Future<Void>> all = new ArrayList<>();
          for (int i = 0; i < RIDES; i++) {
            // from well before the deadline to well after it
            long delayMs = 1 + random.nextInt((int) (2 * ACK_TIMEOUT_MS));
            all.add(rides.ride(quick, i % 2 == 0 ? "status" : "poll", delayMs));
          }
          return Future.all(all);
        })
        .compose(v -> quick.status("jobs"))
        .map(status -> {
          System.out.printf("%d rides around an ack deadline of %d ms (seed %d): %d handled (%d polled an item),"
              + " %d refused ACK_EXPIRED%n", RIDES, ACK_TIMEOUT_MS, seed, rides.handled.get(), rides.polled.get(),
              rides.expired.get());
          assertThat(rides.handled.get() + rides.expired.get()).as("every ride answered").isEqualTo(RIDES);
          assertThat(rides.handled.get()).as("some in time (seed %d)", seed).isPositive();
          assertThat(rides.expired.get()).as("some late (seed %d)", seed).isPositive();
          // in time: acknowledged, and the request handled; late: the item went back, the request not handled
          return assertThat(status).isEqualTo(freshStatus("jobs", null)
              .put("size", rides.expired.get() - rides.polled.get())
              .put("put", (long) RIDES)
              .put("taken", (long) rides.handled.get() + rides.polled.get())
              .put("redelivered", (long) rides.polled.get()));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Acknowledged takes whose acknowledgements carry a request, sent some time after the delivery. */
  private final class Rides {

    final AtomicInteger handled = new AtomicInteger();
    final AtomicInteger expired = new AtomicInteger();
    /** Polls riding on an acknowledgement in time that got an item (one that had gone back). */
    final AtomicInteger polled = new AtomicInteger();

    Future<Void> ride(HostRequests host, String action, long delayMs) {
      return host.takeWithAck("jobs")
          .compose(delivery -> vertx.timer(delayMs).map(delivery))
          // a ride the host dropped would fail TIMEOUT here, long before the test's own timeout
          .compose(delivery -> host.riding(delivery, action).sendTimeout(WAIT / 2).send().transform(this::answered));
    }

    private Future<Void> answered(AsyncResult<Message<Object>> outcome) {
      if (outcome.succeeded()) {
        handled.incrementAndGet();
        if (outcome.result().body() instanceof Integer) {
          polled.incrementAndGet();
        }
        return Future.succeededFuture();
      }
      assertThat(outcome.cause()).isInstanceOf(ReplyException.class);
      ReplyException failure = (ReplyException) outcome.cause();
      assertThat(failure.failureType()).as("an answer from the host: %s", failure).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      if (failure.failureCode() == EMPTY) {
        handled.incrementAndGet(); // a poll riding in time, on an empty channel
      } else {
        assertThat(failure.failureCode()).as("%s", failure).isEqualTo(ACK_EXPIRED);
        expired.incrementAndGet();
      }
      return Future.succeededFuture();
    }
  }

  // helpers

  private Future<Void> deploy() {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("address", "quick").put("ackTimeoutMs", ACK_TIMEOUT_MS))).mapEmpty();
  }
}
