package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.CLOSED;
import static dev.channels.impl.host.HostRequests.FULL;
import static dev.channels.impl.host.HostRequests.OVERLOADED;
import static dev.channels.impl.host.HostRequests.TIMEOUT;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The host's limits: a request that would exceed one fails 503 at once (never waits, even with a
 * long timeout), takes precedence over 429, and changes nothing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostLimitsTest {

  private static final long WAIT = 5_000;
  /** "At once": far below the {@link #WAIT} the refused requests would be allowed to wait. */
  private static final long AT_ONCE_MS = 2_000;

  @Test
  void aCreateBeyondMaxChannelsFailsOverloadedAndConfiguredChannelsCount(Vertx vertx, VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx);
    deployHost(vertx, new JsonObject().put("maxChannels", 3), "configured")
        .compose(v -> requests.create("a", 1))
        .compose(v -> requests.create("b"))
        .compose(v -> refused(requests.create("c", 1), OVERLOADED, "OVERLOADED"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'c'"))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactlyInAnyOrder(
            freshStatus("configured", 1), freshStatus("a", 1), freshStatus("b", null)))
        .compose(v -> requests.create("a", 1))
        .map(status -> assertThat(status).as("an idempotent create is no new channel").isEqualTo(freshStatus("a", 1)))
        .compose(v -> requests.delete("b"))
        .compose(v -> requests.create("c", 1))
        .map(status -> assertThat(status).isEqualTo(freshStatus("c", 1)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void takesBeyondMaxWaitersFailOverloadedAtOnceWhileTheOthersKeepWaiting(Vertx vertx, VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx);
    deployHost(vertx, new JsonObject().put("maxWaiters", 2), "configured")
        .compose(v -> requests.create("jobs", 0))
        .compose(v -> {
          Future<Message<Object>> first = requests.channel("jobs", "take").timeout(WAIT).send();
          Future<Message<Object>> second = requests.channel("jobs", "take").timeout(WAIT).send();
          long start = System.nanoTime();
          return refused(requests.channel("jobs", "take").timeout(WAIT).send(), OVERLOADED, "OVERLOADED")
              .map(refusal -> {
                assertThat(elapsedMs(start)).isLessThan(AT_ONCE_MS);
                assertThat(refusal.getMessage()).contains("'jobs'");
                return refusal;
              })
              .compose(v2 -> requests.status("jobs"))
              .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 0).put("takers", 2)))
              // waiters are per channel, and joins are not among them
              .compose(v2 -> refused(requests.channel("configured", "take").timeout(50).send(), TIMEOUT, "TIMEOUT"))
              .compose(v2 -> refused(requests.channel("jobs", "join").timeout(50).send(), TIMEOUT, "TIMEOUT"))
              .compose(v2 -> requests.putAll("jobs", "x", "y"))
              .compose(v2 -> Future.all(first, second))
              .map(both -> assertThat(both.<Message<Object>>list()).extracting(Message::body).containsExactly("x", "y"));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void putsBeyondMaxWaitersFailOverloadedAtOnceAndTheirItemsNeverEnter(Vertx vertx, VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx);
    deployHost(vertx, new JsonObject().put("maxWaiters", 2), "configured")
        .compose(v -> requests.put("configured", "a"))
        .compose(v -> {
          Future<Message<Object>> b = requests.channel("configured", "put").timeout(WAIT).body("b").send();
          Future<Message<Object>> c = requests.channel("configured", "put").timeout(WAIT).body("c").send();
          long start = System.nanoTime();
          return refused(requests.channel("configured", "put").timeout(WAIT).body("d").send(), OVERLOADED, "OVERLOADED")
              .map(refusal -> assertThat(elapsedMs(start)).isLessThan(AT_ONCE_MS))
              .compose(v2 -> requests.status("configured"))
              .map(status -> assertThat(status).isEqualTo(freshStatus("configured", 1)
                  .put("size", 1).put("putters", 2).put("put", 1L)))
              .compose(v2 -> requests.close("configured"))
              .compose(v2 -> refused(b, CLOSED, "CLOSED"))
              .compose(v2 -> refused(c, CLOSED, "CLOSED"));
        })
        .compose(v -> requests.take("configured"))
        .map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> requests.status("configured"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("configured", 1)
            .put("closed", true).put("finished", true).put("put", 1L).put("taken", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void putsAndOffersThatWouldBufferBeyondMaxQueuedItemsFailOverloadedAtOnce(Vertx vertx, VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx);
    JsonObject configuredEmpty = freshStatus("configured", 1);
    deployHost(vertx, new JsonObject().put("maxQueuedItems", 3), "configured")
        .compose(v -> requests.create("big", 10))
        .compose(v -> requests.create("other", 10))
        .compose(v -> requests.putAll("big", "a", "b"))
        .compose(v -> requests.put("other", "c"))
        .compose(v -> {
          long start = System.nanoTime();
          return refused(requests.channel("other", "put").timeout(WAIT).body("d").send(), OVERLOADED, "OVERLOADED")
              .map(refusal -> {
                assertThat(elapsedMs(start)).isLessThan(AT_ONCE_MS);
                assertThat(refusal.getMessage()).contains("'other'");
                return refusal;
              });
        })
        .compose(v -> refused(requests.channel("other", "offer").body("d").send(), OVERLOADED, "OVERLOADED"))
        .compose(v -> refused(requests.channel("configured", "put").body("d").send(), OVERLOADED, "OVERLOADED"))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactlyInAnyOrder(configuredEmpty,
            freshStatus("big", 10).put("size", 2).put("put", 2L), freshStatus("other", 10).put("size", 1).put("put", 1L)))
        // a hand-over to a waiting taker buffers nothing: allowed at the limit
        .compose(v -> {
          Future<Message<Object>> taker = requests.channel("configured", "take").timeout(WAIT).send();
          return requests.channel("configured", "offer").body("handed").send().compose(offered -> taker);
        })
        .map(reply -> assertThat(reply.body()).isEqualTo("handed"))
        // taking one frees room for one
        .compose(v -> requests.take("big"))
        .compose(v -> requests.put("other", "d"))
        .compose(v -> refused(requests.channel("big", "put").body("e").send(), OVERLOADED, "OVERLOADED"))
        // deleting a channel frees the room of the items it discards
        .compose(v -> requests.delete("other"))
        .compose(v -> requests.putAll("big", "e", "f"))
        .compose(v -> requests.status("big"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("big", 10).put("size", 3).put("put", 4L).put("taken", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void overloadedTakesPrecedenceOverFullForAnOfferOnAFullChannel(Vertx vertx, VertxTestContext ctx) {
    HostRequests requests = new HostRequests(vertx);
    deployHost(vertx, new JsonObject().put("maxQueuedItems", 2), "configured")
        .compose(v -> requests.create("small", 2))
        .compose(v -> refused(requests.channel("configured", "offer").body("x").send().compose(
            v2 -> requests.channel("configured", "offer").body("y").send()), FULL, "FULL"))
        .compose(v -> requests.put("small", "a"))
        // the host now holds 2 items (its limit), and "configured" is full: 503, not 429
        .compose(v -> refused(requests.channel("configured", "offer").body("z").send(), OVERLOADED, "OVERLOADED"))
        .compose(v -> refused(requests.channel("small", "offer").body("z").send(), OVERLOADED, "OVERLOADED"))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactlyInAnyOrder(
            freshStatus("configured", 1).put("size", 1).put("put", 1L),
            freshStatus("small", 2).put("size", 1).put("put", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Deploys a host with these limits and one configured channel of capacity 1. */
  private static Future<String> deployHost(Vertx vertx, JsonObject limits, String configured) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("limits", limits)
        .put("channels", new JsonArray().add(new JsonObject().put("name", configured).put("capacity", 1)))));
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
