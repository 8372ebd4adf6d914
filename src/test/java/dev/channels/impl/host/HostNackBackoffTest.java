package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.assertDeliveryHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The back-off of nacked items: an item nacked on its n-th delivery comes back at once for n = 1,
 * then no sooner than {@code nackBackoffMs} × 2^(n−2), at most {@code maxNackBackoffMs}; a delay
 * its consumer asks for wins when it is longer. Meanwhile the item stays in flight. So a poison item
 * that a consumer always nacks is redelivered a few times a second, not thousands.
 *
 * <p>Every time is measured from before the nack is sent, so a lower bound holds whatever the load.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostNackBackoffTest extends HostTestBase {

  private static final long WAIT = 5_000;
  private static final long BACKOFF_MS = 50;
  /** How long the poison item's redeliveries are counted. */
  private static final long WINDOW_MS = 1_000;

  @Test
  void aNackAfterTheFirstDeliveryGivesBackAtOnceThenAfterNackBackoffMsDoublingWithEachDelivery(VertxTestContext ctx) {
    HostRequests host = new HostRequests(vertx, "backoff");
    long[] nacked = new long[1];
    deploy(new JsonObject().put("address", "backoff").put("nackBackoffMs", BACKOFF_MS))
        .compose(v -> host.create("jobs", 5))
        .compose(v -> host.put("jobs", "poison"))
        .compose(v -> host.takeWithAck("jobs"))
        .map(first -> {
          first.fail(500, "nack 1");
          return first;
        })
        .compose(v -> host.status("jobs"))
        .map(status -> assertThat(status.getInteger("size")).as("back at once after a first delivery").isOne())
        .compose(v -> host.takeWithAck("jobs"))
        .map(second -> {
          assertDeliveryHeaders(second, "2", true);
          nacked[0] = System.nanoTime();
          second.fail(500, "nack 2");
          return second;
        })
        .compose(v -> host.status("jobs"))
        .map(status -> {
          assertThat(status.getInteger("size")).as("held back").isZero();
          return assertThat(status.getInteger("inFlight")).as("held back").isOne();
        })
        .compose(v -> waitingTakeWithAck(host, "jobs"))
        .map(third -> {
          assertThat(elapsedMs(nacked[0])).as("the back-off of a second delivery").isGreaterThanOrEqualTo(BACKOFF_MS);
          assertDeliveryHeaders(third, "3", true);
          nacked[0] = System.nanoTime();
          third.fail(500, "nack 3");
          return third;
        })
        .compose(v -> waitingTakeWithAck(host, "jobs"))
        .map(fourth -> {
          assertThat(elapsedMs(nacked[0])).as("twice as long after a third").isGreaterThanOrEqualTo(2 * BACKOFF_MS);
          assertDeliveryHeaders(fourth, "4", true);
          fourth.reply(null);
          return fourth;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theBackoffStopsDoublingAtMaxNackBackoffMs(VertxTestContext ctx) {
    HostRequests host = new HostRequests(vertx, "capped");
    long backoffMs = 10;
    long maxMs = 40;
    int nacks = 8;
    // doubling without a cap, deliveries 2 to 8 would be held back 10 + 20 + ... + 640 = 1270 ms
    long uncappedMs = 0;
    for (int delivery = 2; delivery <= nacks; delivery++) {
      uncappedMs += backoffMs << (delivery - 2);
    }
    long expectedUncapped = uncappedMs;
    long[] started = new long[1];
    deploy(new JsonObject().put("address", "capped").put("nackBackoffMs", backoffMs).put("maxNackBackoffMs", maxMs))
        .compose(v -> host.create("jobs", 5))
        .compose(v -> host.put("jobs", "poison"))
        .compose(v -> host.takeWithAck("jobs"))
        .compose(first -> {
          started[0] = System.nanoTime();
          first.fail(500, "nack");
          Future<Message<Object>> next = waitingTakeWithAck(host, "jobs");
          for (int delivery = 2; delivery <= nacks; delivery++) {
            int n = delivery;
            next = next.compose(delivered -> {
              assertDeliveryHeaders(delivered, String.valueOf(n), true);
              delivered.fail(500, "nack");
              return waitingTakeWithAck(host, "jobs");
            });
          }
          return next;
        })
        .map(last -> {
          // 10 + 20 + 40 × 5 = 230 ms capped
          long elapsed = elapsedMs(started[0]);
          assertThat(elapsed).isGreaterThanOrEqualTo(backoffMs + 2 * backoffMs + (nacks - 3) * maxMs);
          assertThat(elapsed).as("capped, not doubling to %d ms", expectedUncapped).isLessThan(expectedUncapped * 2 / 3);
          assertDeliveryHeaders(last, String.valueOf(nacks + 1), true);
          last.reply(null);
          return last;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDelayItsConsumerAsksForWinsWhenLongerThanTheBackoffAndNotWhenShorter(VertxTestContext ctx) {
    HostRequests host = new HostRequests(vertx, "backoff");
    long[] nacked = new long[1];
    deploy(new JsonObject().put("address", "backoff").put("nackBackoffMs", BACKOFF_MS))
        .compose(v -> host.create("jobs", 5))
        .compose(v -> host.put("jobs", "a"))
        .compose(v -> host.takeWithAck("jobs"))
        .map(first -> {
          nacked[0] = System.nanoTime();
          first.reply(delay(3 * BACKOFF_MS));
          return first;
        })
        .compose(v -> waitingTakeWithAck(host, "jobs"))
        .map(second -> {
          assertThat(elapsedMs(nacked[0])).as("asked for, no back-off yet").isGreaterThanOrEqualTo(3 * BACKOFF_MS);
          assertDeliveryHeaders(second, "2", true);
          nacked[0] = System.nanoTime();
          second.reply(delay(1));
          return second;
        })
        .compose(v -> waitingTakeWithAck(host, "jobs"))
        .map(third -> {
          assertThat(elapsedMs(nacked[0])).as("the back-off, longer than asked").isGreaterThanOrEqualTo(BACKOFF_MS);
          assertDeliveryHeaders(third, "3", true);
          third.reply(null);
          return third;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anAlwaysNackingConsumerOfOnePoisonItemGetsABoundedNumberOfRedeliveriesPerSecond(VertxTestContext ctx) {
    HostRequests slowed = new HostRequests(vertx, "slowed");
    HostRequests unslowed = new HostRequests(vertx, "unslowed");
    AtomicBoolean counting = new AtomicBoolean(true);
    AtomicInteger withBackoff = new AtomicInteger();
    AtomicInteger withoutBackoff = new AtomicInteger();
    MessageConsumer<Object> nacking = alwaysNacking("nacks-slowed", counting, withBackoff);
    MessageConsumer<Object> nackingFast = alwaysNacking("nacks-unslowed", counting, withoutBackoff);
    Future.all(nacking.completion(), nackingFast.completion(),
            deploy(new JsonObject().put("address", "slowed").put("nackBackoffMs", BACKOFF_MS)),
            deploy(new JsonObject().put("address", "unslowed").put("nackBackoffMs", 0)))
        // maxDeliveries 0: never dead-lettered, however many times it is nacked
        .compose(v -> Future.all(poisoned(slowed), poisoned(unslowed)))
        .compose(v -> Future.all(consume(slowed, "nacks-slowed"), consume(unslowed, "nacks-unslowed")))
        .compose(v -> vertx.timer(WINDOW_MS))
        .compose(v -> {
          counting.set(false);
          // the first push of each is a first delivery, not a redelivery
          int slowedPerSecond = withBackoff.get() - 1;
          int unslowedPerSecond = withoutBackoff.get() - 1;
          System.out.printf("redeliveries of one always-nacked item in %d ms: %d with nackBackoffMs %d,"
              + " %d with nackBackoffMs 0%n", WINDOW_MS, slowedPerSecond, BACKOFF_MS, unslowedPerSecond);
          // 0, 50, 100, 200, 400 ms: 5 redeliveries within the first second
          assertThat(slowedPerSecond).isBetween(3, 49);
          assertThat(unslowedPerSecond).as("without back-off").isGreaterThan(10 * slowedPerSecond);
          return Future.all(cancel(slowed, "nacks-slowed"), cancel(unslowed, "nacks-unslowed"));
        })
        .compose(v -> unslowed.status("poison"))
        .map(status -> {
          assertThat(status.getInteger("maxDeliveries")).isZero();
          assertThat(status.getLong("deadLettered")).isZero();
          return assertThat(status.getLong("redelivered")).isGreaterThanOrEqualTo(withoutBackoff.get() - 1L);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // helpers

  /** A consumer's address that nacks every push and grants one more unit of credit, counting pushes. */
  private MessageConsumer<Object> alwaysNacking(String address, AtomicBoolean counting, AtomicInteger pushes) {
    return vertx.eventBus().consumer(address, push -> {
      if (push.replyAddress() == null) {
        return; // an event
      }
      if (counting.get()) {
        pushes.incrementAndGet();
      }
      push.reply(new JsonObject().put("nack", new JsonArray().add(0)).put("credit", 1));
    });
  }

  private static Future<Void> poisoned(HostRequests host) {
    return host.registry("create").body(new JsonObject().put("name", "poison").put("maxDeliveries", 0)).json()
        .compose(v -> host.put("poison", "poison"));
  }

  private static Future<JsonObject> consume(HostRequests host, String address) {
    return host.channel("poison", "consume").body(new JsonObject().put("address", address).put("credit", 1)).json();
  }

  private static Future<JsonObject> cancel(HostRequests host, String address) {
    return host.channel("poison", "cancel").body(new JsonObject().put("address", address)).json();
  }

  private static Future<Message<Object>> waitingTakeWithAck(HostRequests host, String name) {
    return host.channel(name, "take").header("ack", "true").timeout(WAIT).send();
  }

  private static JsonObject delay(long ms) {
    return new JsonObject().put("delay", new JsonArray().add(new JsonObject().put("index", 0).put("ms", ms)));
  }

  private Future<Void> deploy(JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config)).mapEmpty();
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
