package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.BAD_REQUEST;
import static dev.channels.impl.host.HostRequests.CONFLICT;
import static dev.channels.impl.host.HostRequests.FULL;
import static dev.channels.impl.host.HostRequests.OVERLOADED;
import static dev.channels.impl.host.HostRequests.TIMEOUT;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delivery limits and dead letters: an item that fails its {@code maxDeliveries}-th delivery (nacked,
 * not answered by the ack deadline, or handed to a taker that is gone), or that a consumer rejects,
 * leaves its channel for the dead-letter channel ({@code deadLetter}, by default {@code
 * <name>-dead}), which the host creates on demand. There it is an ordinary item, with its body and
 * headers, and headers saying why it came, from where, after how many deliveries. A channel
 * finishes only once every item it handed out is acknowledged or dead-lettered.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostDeadLetterTest extends HostTestBase {

  private static final long WAIT = 5_000;
  /** How long to keep watching for an event that must not come, after a round trip to the host. */
  private static final long OBSERVATION_MS = 150;
  /** When a dead letter its channel refused (closed) is first offered again. */
  private static final long FIRST_RETRY_MS = 1_000;

  // the delivery limit

  @Test
  void aNackedItemPastMaxDeliveriesGoesToTheDeadLetterChannelWithWhyAndFromWhere(VertxTestContext ctx) {
    create(new JsonObject().put("name", "jobs").put("maxDeliveries", 3))
        .compose(v -> requests.channel("jobs", "put").header("trace", "t-1").header("reason", "mine")
            .header("source", "mine").header("error", "mine").body("a").timeout(0).send())
        .compose(v -> requests.takeWithAck("jobs"))
        .map(first -> {
          first.fail(500, "nack");
          return first;
        })
        .compose(v -> requests.takeWithAck("jobs"))
        .map(second -> {
          second.fail(500, "nack");
          return second;
        })
        .compose(v -> requests.channel("jobs", "take").header("ack", "true").timeout(WAIT).send())
        .map(third -> {
          assertDeliveryHeaders(third, "3", true);
          third.fail(500, "nack on the last delivery allowed");
          return third;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null).put("maxDeliveries", 3)
            .put("put", 1L).put("redelivered", 2L).put("deadLettered", 1L)))
        .compose(v -> requests.status("jobs-dead"))
        .map(status -> assertThat(status).as("created on demand: unbounded, deliveries unlimited")
            .isEqualTo(freshStatus("jobs-dead", null).put("maxDeliveries", 0).put("size", 1).put("put", 1L)))
        .compose(v -> requests.channel("jobs-dead", "take").timeout(0).send())
        .map(dead -> {
          assertThat(dead.body()).isEqualTo("a");
          assertThat(dead.headers().getAll("trace")).as("its own headers").containsExactly("t-1");
          assertThat(dead.headers().getAll("reason")).containsExactly("max-deliveries");
          assertThat(dead.headers().getAll("source")).containsExactly("jobs");
          assertThat(dead.headers().getAll("source-deliveries")).containsExactly("3");
          assertThat(dead.headers().contains("error")).as("nobody said anything").isFalse();
          return dead;
        })
        // an ordinary item: put back into its channel, it starts afresh
        .compose(dead -> requests.channel("jobs", "put").header("trace", "t-1").body(dead.body()).timeout(0).send())
        .compose(v -> requests.takeWithAck("jobs"))
        .map(again -> {
          assertThat(again.body()).isEqualTo("a");
          assertDeliveryHeaders(again, "1", false);
          again.reply(null);
          return again;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null).put("maxDeliveries", 3)
            .put("put", 2L).put("taken", 1L).put("redelivered", 2L).put("deadLettered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDelayAskedOnTheLastDeliveryAllowedDeadLettersTheItemAtOnce(VertxTestContext ctx) {
    create(new JsonObject().put("name", "jobs").put("maxDeliveries", 1))
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(only -> {
          only.reply(new JsonObject().put("delay", new JsonArray().add(new JsonObject().put("index", 0).put("ms", WAIT))));
          return only;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null).put("maxDeliveries", 1)
            .put("put", 1L).put("deadLettered", 1L)))
        .compose(v -> requests.channel("jobs-dead", "take").timeout(0).send())
        .map(dead -> assertThat(dead.headers().getAll("reason")).containsExactly("max-deliveries"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anItemLeftUnansweredPastTheAckDeadlineOfItsLastDeliveryIsDeadLetteredAndItsClosedChannelThenFinishes(
      VertxTestContext ctx) {
    HostRequests quick = new HostRequests(vertx, "quick");
    deploy(new JsonObject().put("address", "quick").put("ackTimeoutMs", 150))
        .compose(v -> quick.registry("create").body(new JsonObject().put("name", "jobs").put("maxDeliveries", 1)).json())
        .compose(v -> quick.put("jobs", "a"))
        .compose(v -> quick.takeWithAck("jobs"))
        .compose(unanswered -> quick.close("jobs"))
        .map(status -> assertThat(status.getBoolean("finished")).as("an item in flight").isFalse())
        .compose(v -> quick.channel("jobs", "join").timeout(WAIT).json())
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null).put("maxDeliveries", 1)
            .put("closed", true).put("finished", true).put("put", 1L).put("deadLettered", 1L)))
        .compose(v -> quick.channel("jobs-dead", "take").timeout(0).send())
        .map(dead -> {
          assertThat(dead.body()).isEqualTo("a");
          assertThat(dead.headers().getAll("reason")).containsExactly("max-deliveries");
          assertThat(dead.headers().getAll("source-deliveries")).containsExactly("1");
          return dead;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anItemHandedOnItsLastDeliveryToATakerOrConsumerThatIsGoneIsDeadLettered(VertxTestContext ctx) {
    create(new JsonObject().put("name", "jobs").put("maxDeliveries", 1))
        .compose(v -> create(new JsonObject().put("name", "work").put("maxDeliveries", 1)))
        // the requester gives up after 100 ms; the host still holds its take
        .compose(v -> requests.channel("jobs", "take").header("ack", "true").timeout(WAIT).sendTimeout(100).send()
            .transform(outcome -> {
              assertThat(((ReplyException) outcome.cause()).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
              return requests.put("jobs", "a");
            }))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null).put("maxDeliveries", 1)
            .put("put", 1L).put("deadLettered", 1L)))
        .compose(v -> requests.put("work", "b"))
        .compose(v -> requests.channel("work", "consume")
            .body(new JsonObject().put("address", "nobody-listens").put("credit", 1)).json())
        .compose(v -> requests.status("work"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("work", null).put("maxDeliveries", 1)
            .put("put", 1L).put("deadLettered", 1L)))
        .compose(v -> Future.all(requests.channel("jobs-dead", "take").timeout(0).send(),
            requests.channel("work-dead", "take").timeout(0).send()))
        .map(both -> {
          List<Message<Object>> dead = both.list();
          assertThat(dead).extracting(Message::body).containsExactly("a", "b");
          assertThat(dead).allSatisfy(item -> assertThat(item.headers().getAll("reason")).containsExactly("max-deliveries"));
          return both;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aChannelHasTheHostsMaxDeliveriesUnlessCreatedOrConfiguredWithItsOwn(VertxTestContext ctx) {
    HostRequests own = new HostRequests(vertx, "own");
    deploy(new JsonObject().put("address", "own").put("maxDeliveries", 2).put("channels", new JsonArray()
            .add(new JsonObject().put("name", "configured").put("maxDeliveries", 1).put("deadLetter", "failed"))))
        .compose(v -> own.status("configured"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("configured", null)
            .put("maxDeliveries", 1).put("deadLetter", "failed")))
        .compose(v -> own.create("plain"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("plain", null).put("maxDeliveries", 2)))
        .compose(v -> own.registry("create").body(new JsonObject().put("name", "custom").put("maxDeliveries", 0)
            .put("deadLetter", "elsewhere")).json())
        .map(status -> assertThat(status).isEqualTo(freshStatus("custom", null)
            .put("maxDeliveries", 0).put("deadLetter", "elsewhere")))
        .compose(v -> own.put("configured", "a"))
        .compose(v -> own.takeWithAck("configured"))
        .map(only -> {
          only.fail(500, "nack");
          return only;
        })
        .compose(v -> own.status("configured"))
        .map(status -> assertThat(status.getLong("deadLettered")).isOne())
        .compose(v -> own.status("failed"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("failed", null).put("maxDeliveries", 0)
            .put("size", 1).put("put", 1L)))
        .compose(v -> own.channel("failed", "take").timeout(0).send())
        .map(dead -> {
          assertThat(dead.body()).isEqualTo("a");
          assertThat(dead.headers().getAll("source")).containsExactly("configured");
          return dead;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // create's options

  @Test
  void createOfAnExistingNameWithAnotherMaxDeliveriesOrDeadLetterIsAConflictButLeavingThemOutIsNot(
      VertxTestContext ctx) {
    JsonObject jobs = freshStatus("jobs", null).put("maxDeliveries", 3).put("deadLetter", "failed");
    create(new JsonObject().put("name", "jobs").put("maxDeliveries", 3).put("deadLetter", "failed"))
        .compose(v -> refused(create(new JsonObject().put("name", "jobs").put("maxDeliveries", 4)), CONFLICT, "CONFLICT"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("maxDeliveries"))
        .compose(v -> refused(create(new JsonObject().put("name", "jobs").put("deadLetter", "other")),
            CONFLICT, "CONFLICT"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("deadLetter"))
        .compose(v -> create(new JsonObject().put("name", "jobs")))
        .map(status -> assertThat(status).isEqualTo(jobs))
        .compose(v -> create(new JsonObject().put("name", "jobs").put("maxDeliveries", 3)))
        .map(status -> assertThat(status).isEqualTo(jobs))
        .compose(v -> create(new JsonObject().put("name", "jobs").put("deadLetter", "failed")))
        .map(status -> assertThat(status).isEqualTo(jobs))
        // created with the defaults: asking for them explicitly is no conflict, asking for others is
        .compose(v -> requests.create("plain"))
        .compose(v -> create(new JsonObject().put("name", "plain").put("maxDeliveries", 20).put("deadLetter", "plain-dead")))
        .map(status -> assertThat(status).isEqualTo(freshStatus("plain", null)))
        .compose(v -> refused(create(new JsonObject().put("name", "plain").put("maxDeliveries", 0)), CONFLICT, "CONFLICT"))
        .onComplete(ctx.succeedingThenComplete());
  }

  static Stream<Arguments> badOptions() {
    return Stream.of(
        Arguments.of("deadLetter", "jobs"),
        Arguments.of("deadLetter", ""),
        Arguments.of("deadLetter", "jobs dead"),
        Arguments.of("deadLetter", "d".repeat(129)),
        Arguments.of("deadLetter", 5),
        Arguments.of("deadLetter", true),
        Arguments.of("deadLetter", new JsonObject().put("name", "failed")),
        Arguments.of("maxDeliveries", -1),
        Arguments.of("maxDeliveries", "3"),
        Arguments.of("maxDeliveries", 1.5),
        Arguments.of("maxDeliveries", true),
        Arguments.of("maxDeliveries", 2_147_483_648L));
  }

  @ParameterizedTest(name = "create with {0} {1} is refused 400 naming it and creates nothing")
  @MethodSource("badOptions")
  void aCreateWithADeadLetterThatIsNotAnotherChannelsNameOrABadMaxDeliveriesIsRefused(String option, Object value,
                                                                                       VertxTestContext ctx) {
    refused(create(new JsonObject().put("name", "jobs").put(option, value)), BAD_REQUEST, "BAD_REQUEST")
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("'" + option + "'"))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels").size()).as("channels").isZero())
        .onComplete(ctx.succeedingThenComplete());
  }

  // the dead-letter channel

  @ParameterizedTest(name = "a name of {0} characters")
  @ValueSource(ints = {1, 123, 124, 128})
  void theDefaultDeadLetterChannelIsTheNameCutTo123CharactersThenDead(int length, VertxTestContext ctx) {
    String name = "n".repeat(length);
    String deadLetter = "n".repeat(Math.min(length, 123)) + "-dead";
    requests.create(name)
        .map(status -> assertThat(status.getString("deadLetter")).isEqualTo(deadLetter))
        .compose(v -> requests.put(name, "a"))
        .compose(v -> requests.takeWithAck(name))
        .map(delivery -> {
          delivery.reply(reject(0, "rejected", null));
          return delivery;
        })
        .compose(v -> requests.status(name))
        .compose(v -> requests.channel(deadLetter, "take").timeout(0).send())
        .map(dead -> assertThat(dead.headers().getAll("source")).containsExactly(name))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theDeadLetterChannelIsCreatedOnDemandEvenPastMaxChannels(VertxTestContext ctx) {
    HostRequests few = new HostRequests(vertx, "few");
    deploy(new JsonObject().put("address", "few").put("limits", new JsonObject().put("maxChannels", 1)))
        .compose(v -> few.create("jobs", 1))
        .compose(v -> refused(few.create("other"), OVERLOADED, "OVERLOADED"))
        .compose(v -> few.put("jobs", "a"))
        .compose(v -> few.takeWithAck("jobs"))
        .map(delivery -> {
          delivery.reply(reject(0, "rejected", "bad"));
          return delivery;
        })
        .compose(v -> few.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactly(
            freshStatus("jobs", 1).put("put", 1L).put("deadLettered", 1L),
            freshStatus("jobs-dead", null).put("maxDeliveries", 0).put("size", 1).put("put", 1L)))
        .compose(v -> refused(few.create("other"), OVERLOADED, "OVERLOADED"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aFullDeadLetterChannelTakesTheItemBeyondItsCapacity(VertxTestContext ctx) {
    requests.create("jobs-dead", 1)
        .compose(v -> requests.put("jobs-dead", "x"))
        .compose(v -> requests.create("jobs", 5))
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(delivery -> {
          delivery.reply(reject(0, "rejected", "bad"));
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 1L).put("deadLettered", 1L)))
        .compose(v -> requests.status("jobs-dead"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs-dead", 1).put("size", 2).put("put", 2L)))
        .compose(v -> refused(requests.channel("jobs-dead", "offer").body("y").send(), FULL, "FULL"))
        .compose(v -> requests.channel("jobs-dead", "take").header("max", "5").timeout(0).send())
        .map(reply -> assertThat(reply.body()).isEqualTo(new JsonArray().add("x")))
        .compose(v -> requests.take("jobs-dead"))
        .map(item -> assertThat(item).isEqualTo("a"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDeadLetterWaitsInItsChannelWhileTheDeadLetterChannelIsClosedAndGoesInOnceItCan(VertxTestContext ctx) {
    long[] rejected = new long[1];
    requests.create("jobs", 5)
        .compose(v -> requests.create("jobs-dead", 5))
        .compose(v -> requests.close("jobs-dead"))
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(delivery -> {
          rejected[0] = System.nanoTime();
          delivery.reply(reject(0, "rejected", "bad"));
          return delivery;
        })
        .compose(v -> requests.close("jobs"))
        .map(status -> assertThat(status).as("in flight until its dead-letter channel takes it")
            .isEqualTo(freshStatus("jobs", 5).put("closed", true).put("put", 1L).put("inFlight", 1)))
        .compose(v -> refused(requests.channel("jobs", "join").timeout(0).send(), TIMEOUT, "TIMEOUT"))
        .compose(v -> requests.status("jobs-dead"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs-dead", 5).put("closed", true).put("finished", true)))
        // deleted, the dead-letter channel is created again on demand when the letter is offered again
        .compose(v -> requests.delete("jobs-dead"))
        .compose(v -> requests.channel("jobs", "join").timeout(WAIT).json())
        .map(status -> {
          assertThat(elapsedMs(rejected[0])).as("offered again after a second").isGreaterThanOrEqualTo(FIRST_RETRY_MS);
          return assertThat(status).isEqualTo(freshStatus("jobs", 5).put("closed", true).put("finished", true)
              .put("put", 1L).put("deadLettered", 1L));
        })
        .compose(v -> requests.status("jobs-dead"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs-dead", null).put("maxDeliveries", 0)
            .put("size", 1).put("put", 1L)))
        .compose(v -> requests.channel("jobs-dead", "take").timeout(0).send())
        .map(dead -> {
          assertThat(dead.body()).isEqualTo("a");
          assertThat(dead.headers().getAll("reason")).containsExactly("rejected");
          assertThat(dead.headers().getAll("error")).containsExactly("bad");
          return dead;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aClosedChannelFinishesOnlyOnceEveryItemHandedOutIsAcknowledgedOrDeadLettered(VertxTestContext ctx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    JsonObject finished = freshStatus("jobs", 5).put("closed", true).put("finished", true)
        .put("put", 2L).put("taken", 1L).put("deadLettered", 1L);
    requests.create("jobs", 5)
        .compose(v -> vertx.eventBus().<JsonObject>consumer(requests.joinedAddress("jobs"), e -> events.add(e.body()))
            .completion())
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> Future.all(requests.takeWithAck("jobs"), requests.takeWithAck("jobs")))
        .compose(both -> {
          Message<Object> a = both.resultAt(0);
          Message<Object> b = both.resultAt(1);
          Future<JsonObject> join = requests.channel("jobs", "join").timeout(WAIT).json();
          return requests.close("jobs")
              .map(v -> {
                a.reply(null);
                return v;
              })
              .compose(v -> requests.status("jobs"))
              .map(status -> {
                assertThat(status.getInteger("inFlight")).isOne();
                return assertThat(join.isComplete()).as("b is still in flight").isFalse();
              })
              .compose(v -> {
                b.reply(reject(0, "rejected", "no"));
                return join;
              });
        })
        .map(status -> assertThat(status).isEqualTo(finished))
        .compose(v -> requests.list().compose(list -> vertx.timer(OBSERVATION_MS)))
        .map(v -> assertThat(events).containsExactly(finished))
        .onComplete(ctx.succeedingThenComplete());
  }

  // helpers

  private Future<JsonObject> create(JsonObject body) {
    return requests.registry("create").body(body).json();
  }

  private static JsonObject reject(int index, String reason, String error) {
    JsonObject reject = new JsonObject().put("index", index).put("reason", reason);
    if (error != null) {
      reject.put("error", error);
    }
    return new JsonObject().put("reject", new JsonArray().add(reject));
  }

  private Future<Void> deploy(JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config)).mapEmpty();
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
