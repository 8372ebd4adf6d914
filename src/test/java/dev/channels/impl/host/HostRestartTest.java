package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.UNAVAILABLE;
import static dev.channels.impl.host.HostRequests.assertDeliveryHeaders;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A host that stops is not a channel that ends. Undeployed, the host fails what waits with 421
 * UNAVAILABLE (not 410: the channel is not closed), tells its streaming consumers {@code event:
 * unavailable}, waits up to {@code drainTimeoutMs} for the answers to its deliveries, gives back
 * what is still out (counted as delivered), and parks its channels. The next host deployed at the
 * same address on the same Vert.x adopts them as they were: items in order (the returned ones
 * first), the closed flag, the counters, the settings.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostRestartTest extends HostTestBase {

  private static final long WAIT = 5_000;
  /** How long to keep watching for a message that must not come, after a round trip to the host. */
  private static final long OBSERVATION_MS = 150;
  private static final String ADDRESS = "restart";

  @Test
  void undeployingTheHostFailsWaitingPutsTakesAndJoinsUnavailableAndTellsConsumersSo(VertxTestContext ctx) {
    HostRequests host = requestsTo();
    deploy(config())
        .compose(id -> ConsumerInbox.open(vertx, "me").compose(me -> host.create("full", 1)
            .compose(v -> host.put("full", "x"))
            .compose(v -> host.create("empty", 1))
            .compose(v -> host.channel("empty", "consume").body(new JsonObject().put("address", "me").put("credit", 1)).json())
            .compose(v -> {
              List<Future<?>> refusals = List.of(
                  refused(host.channel("full", "put").body("y").timeout(WAIT).send(), UNAVAILABLE, "UNAVAILABLE"),
                  refused(host.channel("empty", "take").timeout(WAIT).send(), UNAVAILABLE, "UNAVAILABLE"),
                  refused(host.channel("empty", "take").header("ack", "true").timeout(WAIT).send(),
                      UNAVAILABLE, "UNAVAILABLE"),
                  refused(host.channel("empty", "join").timeout(WAIT).send(), UNAVAILABLE, "UNAVAILABLE"));
              return Future.all(host.status("full"), host.status("empty"))
                  .map(both -> {
                    assertThat(both.<JsonObject>resultAt(0).getInteger("putters")).isOne();
                    return assertThat(both.<JsonObject>resultAt(1).getInteger("takers")).as("two takes, a consumer").isEqualTo(3);
                  })
                  .compose(v2 -> vertx.undeploy(id))
                  .compose(v2 -> Future.all(refusals))
                  .compose(v2 -> me.next())
                  .map(event -> {
                    assertThat(event.headers().getAll("event")).containsExactly("unavailable");
                    assertThat(event.replyAddress()).as("an event, not a push").isNull();
                    return assertThat(((JsonObject) event.body()).getString("reason")).contains("'empty'");
                  });
            })))
        .compose(v -> deploy(config()))
        .compose(v -> Future.all(host.status("full"), host.status("empty")))
        .map(both -> {
          assertThat(both.<JsonObject>resultAt(0)).as("the waiting put's item was not enqueued")
              .isEqualTo(freshStatus("full", 1).put("size", 1).put("put", 1L));
          return assertThat(both.<JsonObject>resultAt(1)).isEqualTo(freshStatus("empty", 1));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aStoppingHostWaitsForTheAnswersToItsDeliveriesWhichStillSettleThem(VertxTestContext ctx) {
    HostRequests host = requestsTo();
    long[] undeploying = new long[1];
    deploy(config())
        .compose(id -> ConsumerInbox.open(vertx, "me").compose(me -> host.create("jobs", 5)
            .compose(v -> host.putAll("jobs", "a", "b", "c"))
            .compose(v -> host.takeWithAck("jobs"))
            .compose(a -> host.channel("jobs", "consume").body(new JsonObject().put("address", "me").put("credit", 1)).json()
                .compose(v -> me.next())
                .compose(push -> {
                  assertThat(push.body()).isEqualTo(new JsonArray().add("b"));
                  undeploying[0] = System.nanoTime();
                  Future<Void> undeployed = vertx.undeploy(id);
                  return me.next()
                      .map(event -> assertThat(event.headers().getAll("event")).containsExactly("unavailable"))
                      .compose(v -> refused(host.status("jobs"), UNAVAILABLE, "UNAVAILABLE"))
                      .map(v -> assertThat(undeployed.isComplete()).as("two deliveries unanswered").isFalse())
                      // an acknowledgement in time counts; what rides on it is refused, as any request now
                      .compose(v -> refused(host.riding(a, "take").timeout(0).send(), UNAVAILABLE, "UNAVAILABLE"))
                      .map(v -> assertThat(undeployed.isComplete()).as("a push unanswered").isFalse())
                      .compose(v -> {
                        push.reply(null);
                        return undeployed;
                      });
                }))))
        .map(v -> assertThat(elapsedMs(undeploying[0])).as("not the drain timeout").isLessThan(HostConfig.DEFAULT_DRAIN_TIMEOUT_MS))
        .compose(v -> deploy(config()))
        .compose(v -> host.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 1).put("put", 3L).put("taken", 2L)))
        // served again: the consumer consumes again
        .compose(v -> ConsumerInbox.open(vertx, "me-again"))
        .compose(again -> host.channel("jobs", "consume").body(new JsonObject().put("address", "me-again").put("credit", 1)).json()
            .compose(v -> again.next()))
        .map(push -> {
          assertThat(push.body()).isEqualTo(new JsonArray().add("c"));
          push.reply(null); // else closing Vert.x would wait drainTimeoutMs for its answer
          return push;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void whatIsStillOutAtTheDrainTimeoutGoesBackAndTheNextHostAdoptsTheChannelAsItWas(VertxTestContext ctx) {
    HostRequests host = requestsTo();
    long drainTimeoutMs = 200;
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    Message<?>[] unanswered = new Message<?>[1];
    long[] undeploying = new long[1];
    JsonObject adopted = freshStatus("jobs", 5).put("maxDeliveries", 3).put("deadLetter", "failed")
        .put("closed", true).put("size", 3).put("put", 4L).put("taken", 1L);
    JsonObject finished = adopted.copy().put("finished", true).put("size", 0).put("taken", 4L).put("redelivered", 1L);
    deploy(config().put("drainTimeoutMs", drainTimeoutMs))
        .compose(id -> vertx.eventBus().<JsonObject>consumer(host.joinedAddress("jobs"), e -> events.add(e.body()))
            .completion()
            .compose(v -> host.registry("create").body(new JsonObject().put("name", "jobs").put("capacity", 5)
                .put("maxDeliveries", 3).put("deadLetter", "failed")).json())
            .compose(v -> host.putAll("jobs", "a", "b", "c", "d"))
            .compose(v -> host.takeWithAck("jobs"))
            .compose(a -> {
              unanswered[0] = a;
              return host.takeWithAck("jobs");
            })
            .compose(b -> {
              b.reply(null);
              return host.close("jobs");
            })
            .compose(v -> {
              undeploying[0] = System.nanoTime();
              return vertx.undeploy(id);
            }))
        .map(v -> assertThat(elapsedMs(undeploying[0])).as("waited for a's answer").isGreaterThanOrEqualTo(drainTimeoutMs))
        // too late: its item went back at the park; what rides on it is not handled
        .compose(v -> notHandled(host.riding(unanswered[0], "take").timeout(0).send()))
        .compose(v -> deploy(config()))
        .compose(v -> host.status("jobs"))
        .map(status -> assertThat(status).as("closed, settings and counters kept; a back in the buffer")
            .isEqualTo(adopted))
        .compose(v -> {
          Future<JsonObject> join = host.channel("jobs", "join").timeout(WAIT).json();
          return host.takeWithAck("jobs")
              .map(a -> {
                assertThat(a.body()).as("the returned item first").isEqualTo("a");
                assertDeliveryHeaders(a, "2", true);
                a.reply(null);
                return a;
              })
              .compose(v2 -> host.take("jobs"))
              .map(c -> assertThat(c).isEqualTo("c"))
              .compose(v2 -> host.take("jobs"))
              .map(d -> assertThat(d).isEqualTo("d"))
              .compose(v2 -> join);
        })
        .map(status -> assertThat(status).isEqualTo(finished))
        .compose(v -> host.channel("jobs", "join").timeout(0).json())
        .map(status -> assertThat(status).isEqualTo(finished))
        .compose(v -> host.list().compose(list -> vertx.timer(OBSERVATION_MS)))
        .map(v -> assertThat(events).as("the end, published once").containsExactly(finished))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aConfiguredChannelThatWasParkedIsAdoptedNotCreatedAgain(VertxTestContext ctx) {
    HostRequests host = requestsTo();
    JsonObject configured = config().put("channels", new JsonArray().add(new JsonObject().put("name", "jobs").put("capacity", 5)));
    deploy(configured)
        .compose(id -> host.putAll("jobs", "x", "y").compose(v -> vertx.undeploy(id)))
        .compose(v -> deploy(configured))
        .compose(v -> host.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactly(
            freshStatus("jobs", 5).put("size", 2).put("put", 2L)))
        .compose(v -> host.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("x"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aChannelThatHadFinishedIsAdoptedFinishedAndItsEndIsNotPublishedAgain(VertxTestContext ctx) {
    HostRequests host = requestsTo();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    JsonObject finished = freshStatus("jobs", 5).put("closed", true).put("finished", true);
    deploy(config())
        .compose(id -> vertx.eventBus().<JsonObject>consumer(host.joinedAddress("jobs"), e -> events.add(e.body()))
            .completion()
            .compose(v -> host.create("jobs", 5))
            .compose(v -> host.close("jobs"))
            .compose(v -> vertx.undeploy(id)))
        .compose(v -> deploy(config()))
        .compose(v -> host.channel("jobs", "join").timeout(0).json())
        .map(status -> assertThat(status).isEqualTo(finished))
        .compose(v -> host.list().compose(list -> vertx.timer(OBSERVATION_MS)))
        .map(v -> assertThat(events).containsExactly(finished))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDeadLetterWaitingForItsClosedDeadLetterChannelStillWaitsInItsChannelAfterARestart(VertxTestContext ctx) {
    HostRequests host = requestsTo();
    JsonObject closedDeadLetters = freshStatus("jobs-dead", 5).put("closed", true).put("finished", true);
    JsonObject waiting = freshStatus("jobs", 5).put("put", 1L).put("inFlight", 1);
    deploy(config())
        .compose(id -> host.create("jobs", 5)
            .compose(v -> host.create("jobs-dead", 5))
            .compose(v -> host.close("jobs-dead"))
            .compose(v -> host.put("jobs", "a"))
            .compose(v -> host.takeWithAck("jobs"))
            .map(delivery -> {
              delivery.reply(new JsonObject().put("reject", new JsonArray().add(new JsonObject().put("index", 0).put("reason", "rejected"))));
              return delivery;
            })
            .compose(v -> host.status("jobs"))
            .map(status -> assertThat(status).isEqualTo(waiting))
            .compose(v -> vertx.undeploy(id)))
        .compose(v -> deploy(config()))
        .compose(v -> host.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactly(waiting, closedDeadLetters))
        // one channel at each address: every status request finds the same one
        .compose(v -> Future.all(host.status("jobs-dead"), host.status("jobs-dead"), host.status("jobs-dead")))
        .map(all -> assertThat(all.<JsonObject>list()).containsOnly(closedDeadLetters))
        .onComplete(ctx.succeedingThenComplete());
  }

  // helpers

  private HostRequests requestsTo() {
    return new HostRequests(vertx, ADDRESS);
  }

  private static JsonObject config() {
    return new JsonObject().put("address", ADDRESS);
  }

  private Future<String> deploy(JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config));
  }

  /**
   * Succeeds if the request was answered without being handled: nobody listens any more for the
   * answer it rides on (Vert.x's NO_HANDLERS), or the host refused it UNAVAILABLE.
   */
  private static Future<Void> notHandled(Future<Message<Object>> request) {
    return request.transform(outcome -> {
      assertThat(outcome.failed()).as("not handled").isTrue();
      ReplyException failure = (ReplyException) outcome.cause();
      if (failure.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        assertThat(failure.failureCode()).as("%s", failure).isEqualTo(UNAVAILABLE);
      } else {
        assertThat(failure.failureType()).as("%s", failure).isEqualTo(ReplyFailure.NO_HANDLERS);
      }
      return Future.succeededFuture();
    });
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
