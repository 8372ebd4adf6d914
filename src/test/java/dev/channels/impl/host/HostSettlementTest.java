package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.assertDeliveryHeaders;
import static dev.channels.impl.host.HostRequests.assertNoDeliveryHeaders;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Settling a delivery: the answer to an acknowledged take (or to a push) settles each of its items.
 * An item is acknowledged unless a settlement list of the answer names its index: {@code nack}
 * (failed: back at once, counted), {@code delay} (failed: back no sooner than asked, in flight
 * meanwhile), {@code release} (never handled: back at once, not counted), {@code reject}
 * (dead-lettered now). Failing the delivery nacks every item; so does an answer that makes no sense
 * for the delivery. The settlement lists are spelled out here as literals: they are the wire
 * protocol.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostSettlementTest extends HostTestBase {

  /** Long enough that a waiting request is still waiting when the test acts on it. */
  private static final long WAIT = 5_000;
  /** A delay asked for, well above the host's back-off of a first delivery (none). */
  private static final long DELAY_MS = 300;

  // acknowledgement

  static Stream<Object> answersThatAreNotSettlements() {
    return Stream.of("ok", 42, true, new JsonObject(), new JsonObject().put("thanks", true),
        new JsonObject().put("credit", 5), new JsonArray().add(0), new JsonObject().put("nacks", new JsonArray().add(0)));
  }

  @Test
  void aReplyWithoutABodyAcknowledgesEveryItemOfTheDelivery(VertxTestContext ctx) {
    anAnswerAcknowledgesEveryItem(null, ctx);
  }

  @ParameterizedTest(name = "the reply {0} acknowledges every item")
  @MethodSource("answersThatAreNotSettlements")
  void anyReplyThatNamesNoSettlementListAcknowledgesEveryItemOfTheDelivery(Object answer, VertxTestContext ctx) {
    anAnswerAcknowledgesEveryItem(answer, ctx);
  }

  private void anAnswerAcknowledgesEveryItem(Object answer, VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> batchTakeWithAck("jobs", 5))
        .map(delivery -> {
          assertThat(delivery.body()).isEqualTo(array("a", "b"));
          delivery.reply(answer);
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 2L).put("taken", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // nack

  @Test
  void aNackGivesThatItemBackAtOnceAsADeliveryThatCountsAndAcknowledgesTheRest(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b", "c"))
        .compose(v -> batchTakeWithAck("jobs", 5))
        .map(delivery -> {
          delivery.reply(new JsonObject().put("nack", new JsonArray().add(1)));
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 1).put("put", 3L).put("taken", 2L)))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(again -> {
          assertThat(again.body()).isEqualTo("b");
          assertDeliveryHeaders(again, "2", true);
          again.reply(null);
          return again;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 3L).put("taken", 3L)
            .put("redelivered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void failingTheDeliveryNacksEveryItemOfIt(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b", "c"))
        .compose(v -> batchTakeWithAck("jobs", 2))
        .map(delivery -> {
          delivery.fail(500, "cannot now");
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 3).put("put", 3L)))
        .compose(v -> requests.channel("jobs", "take").header("max", "5").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("a", "b", "c"));
          assertDeliveryHeaders(reply, "2,2,1", true);
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // delay

  @Test
  void aDelayHoldsTheItemInFlightAndGivesItBackNoSoonerThanAsked(VertxTestContext ctx) {
    long[] answered = new long[1];
    requests.create("jobs", 5)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(delivery -> {
          answered[0] = System.nanoTime();
          delivery.reply(new JsonObject().put("delay", new JsonArray().add(delay(0, DELAY_MS))));
          return delivery;
        })
        .compose(v -> requests.close("jobs"))
        .map(status -> assertThat(status).as("held back: in flight, not buffered")
            .isEqualTo(freshStatus("jobs", 5).put("closed", true).put("put", 1L).put("inFlight", 1)))
        .compose(v -> {
          Future<JsonObject> join = requests.channel("jobs", "join").timeout(WAIT).json();
          return requests.channel("jobs", "take").header("ack", "true").timeout(WAIT).send()
              .map(again -> {
                assertThat(elapsedMs(answered[0])).isGreaterThanOrEqualTo(DELAY_MS);
                assertThat(again.body()).isEqualTo("a");
                assertDeliveryHeaders(again, "2", true);
                assertThat(join.isComplete()).as("a join waits for a delayed item").isFalse();
                again.reply(null);
                return again;
              })
              .compose(v2 -> join);
        })
        .map(finished -> assertThat(finished).isEqualTo(freshStatus("jobs", 5).put("closed", true).put("finished", true)
            .put("put", 1L).put("taken", 1L).put("redelivered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // release

  @Test
  void aReleaseGivesTheItemBackAtOnceAndThatDeliveryDoesNotCount(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(first -> {
          first.reply(new JsonObject().put("release", new JsonArray().add(0)));
          return first;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).as("back at the head, not redelivered")
            .isEqualTo(freshStatus("jobs", 5).put("size", 2).put("put", 2L)))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(again -> {
          assertThat(again.body()).isEqualTo("a");
          assertDeliveryHeaders(again, "1", false);
          again.fail(500, "failed: this one counts");
          return again;
        })
        .compose(v -> requests.takeWithAck("jobs"))
        .map(second -> {
          assertDeliveryHeaders(second, "2", true);
          second.reply(new JsonObject().put("release", new JsonArray().add(0)));
          return second;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).as("the released redelivery is not counted")
            .isEqualTo(freshStatus("jobs", 5).put("size", 2).put("put", 2L)))
        .compose(v -> requests.channel("jobs", "take").timeout(0).send())
        .map(plain -> {
          assertThat(plain.body()).isEqualTo("a");
          assertDeliveryHeaders(plain, "2", true);
          return plain;
        })
        .compose(v -> requests.takeWithAck("jobs"))
        .map(b -> {
          b.reply(new JsonObject().put("release", new JsonArray().add(0)));
          return b;
        })
        // a plain take of a released fresh item is a first delivery again: no delivery headers
        .compose(v -> requests.channel("jobs", "take").timeout(0).send())
        .map(plain -> {
          assertThat(plain.body()).isEqualTo("b");
          assertNoDeliveryHeaders(plain);
          return plain;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 2L).put("taken", 2L)
            .put("redelivered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReleaseOnTheLastAllowedDeliveryGivesTheItemBackRatherThanDeadLetteringIt(VertxTestContext ctx) {
    requests.registry("create").body(new JsonObject().put("name", "jobs").put("maxDeliveries", 1)).json()
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(first -> {
          first.reply(new JsonObject().put("release", new JsonArray().add(0)));
          return first;
        })
        .compose(v -> requests.takeWithAck("jobs"))
        .map(again -> {
          assertDeliveryHeaders(again, "1", false);
          again.reply(null);
          return again;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null).put("maxDeliveries", 1)
            .put("put", 1L).put("taken", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // reject

  @Test
  void aRejectDeadLettersTheItemNowWithWhyFromWhereAndWhatTheConsumerSaid(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.channel("jobs", "put").header("trace", "t-1").body("a").timeout(0).send())
        .compose(v -> requests.takeWithAck("jobs"))
        .map(delivery -> {
          delivery.reply(new JsonObject().put("reject", new JsonArray().add(new JsonObject()
              .put("index", 0).put("reason", "rejected").put("error", "no such customer"))));
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 1L).put("deadLettered", 1L)))
        .compose(v -> requests.channel("jobs-dead", "take").timeout(0).send())
        .map(dead -> {
          assertThat(dead.body()).isEqualTo("a");
          assertThat(dead.headers().getAll("trace")).containsExactly("t-1");
          assertThat(dead.headers().getAll("reason")).containsExactly("rejected");
          assertThat(dead.headers().getAll("source")).containsExactly("jobs");
          assertThat(dead.headers().getAll("source-deliveries")).containsExactly("1");
          assertThat(dead.headers().getAll("error")).containsExactly("no such customer");
          return dead;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anUnmappableItemRejectedWithoutAnErrorIsDeadLetteredWithoutOne(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.put("jobs", "not a number"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(delivery -> {
          delivery.reply(new JsonObject().put("reject", new JsonArray().add(new JsonObject()
              .put("index", 0).put("reason", "unmappable"))));
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 1L).put("deadLettered", 1L)))
        .compose(v -> requests.channel("jobs-dead", "take").timeout(0).send())
        .map(dead -> {
          assertThat(dead.body()).isEqualTo("not a number");
          assertThat(dead.headers().getAll("reason")).containsExactly("unmappable");
          assertThat(dead.headers().getAll("source")).containsExactly("jobs");
          assertThat(dead.headers().getAll("source-deliveries")).containsExactly("1");
          assertThat(dead.headers().contains("error")).isFalse();
          return dead;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // several at once

  @Test
  void theItemsOfABatchAreSettledEachAsTheAnswerSays(VertxTestContext ctx) {
    JsonObject answer = new JsonObject()
        .put("nack", new JsonArray().add(1))
        .put("release", new JsonArray().add(2))
        .put("reject", new JsonArray().add(new JsonObject().put("index", 3).put("reason", "rejected").put("error", "d")))
        .put("delay", new JsonArray().add(delay(4, WAIT)));
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b", "c", "d", "e"))
        .compose(v -> batchTakeWithAck("jobs", 5))
        .map(delivery -> {
          assertThat(delivery.body()).isEqualTo(array("a", "b", "c", "d", "e"));
          delivery.reply(answer);
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).as("a taken, b and c back, d dead-lettered, e held back")
            .isEqualTo(freshStatus("jobs", 5).put("size", 2).put("put", 5L).put("taken", 1L).put("inFlight", 1)
                .put("deadLettered", 1L)))
        .compose(v -> requests.channel("jobs", "take").header("max", "5").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("b", "c"));
          assertDeliveryHeaders(reply, "2,1", true);
          return reply;
        })
        .compose(v -> requests.channel("jobs-dead", "take").timeout(0).send())
        .map(dead -> {
          assertThat(dead.body()).isEqualTo("d");
          assertThat(dead.headers().getAll("error")).containsExactly("d");
          return dead;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // answers that make no sense

  static Stream<JsonObject> answersThatMakeNoSenseForADeliveryOfTwo() {
    return Stream.of(
        new JsonObject().put("nack", new JsonArray().add(2)),
        new JsonObject().put("nack", new JsonArray().add(-1)),
        new JsonObject().put("nack", new JsonArray().add("0")),
        new JsonObject().put("nack", 0),
        new JsonObject().put("release", new JsonArray().add(1.0)),
        new JsonObject().put("nack", new JsonArray().add(0)).put("release", new JsonArray().add(0)),
        new JsonObject().put("nack", new JsonArray().add(1).add(1)),
        new JsonObject().put("delay", new JsonArray().add(0)),
        new JsonObject().put("delay", new JsonArray().add(new JsonObject().put("index", 0))),
        new JsonObject().put("delay", new JsonArray().add(delay(0, -1))),
        new JsonObject().put("delay", new JsonArray().add(new JsonObject().put("index", 0).put("ms", "10"))),
        new JsonObject().put("reject", new JsonArray().add(new JsonObject().put("index", 0).put("reason", "boring"))),
        new JsonObject().put("reject", new JsonArray().add(new JsonObject().put("index", 0).put("error", 5))),
        new JsonObject().put("reject", new JsonArray().add(new JsonObject().put("reason", "rejected"))),
        new JsonObject().put("nack", new JsonArray().add(0)).put("credit", "5"));
  }

  @ParameterizedTest(name = "the answer {0} nacks every item")
  @MethodSource("answersThatMakeNoSenseForADeliveryOfTwo")
  void anAnswerThatMakesNoSenseForTheDeliveryNacksEveryItemOfIt(JsonObject answer, VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> batchTakeWithAck("jobs", 2))
        .map(delivery -> {
          delivery.reply(answer);
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).as("nothing lost, nothing dead-lettered")
            .isEqualTo(freshStatus("jobs", 5).put("size", 2).put("put", 2L)))
        .compose(v -> requests.channel("jobs", "take").header("max", "5").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("a", "b"));
          assertDeliveryHeaders(reply, "2,2", true);
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // pushes

  @Test
  void aPushAnswerSettlesItsItemsAsATakesAnswerDoesAndGrantsTheCreditItCarries(VertxTestContext ctx) {
    JsonObject answer = new JsonObject()
        .put("release", new JsonArray().add(0))
        .put("reject", new JsonArray().add(new JsonObject().put("index", 1).put("reason", "unmappable")))
        .put("credit", 1);
    ConsumerInbox.open(vertx, "me")
        .compose(me -> requests.create("jobs", 5)
            .compose(v -> requests.putAll("jobs", "a", "b", "c"))
            .compose(v -> consume("jobs", "me", 3))
            .compose(v -> me.next())
            .compose(push -> {
              assertThat(push.body()).isEqualTo(array("a", "b", "c"));
              push.reply(answer);
              return me.next();
            })
            .map(push -> {
              assertThat(push.body()).as("the released item, on the credit granted").isEqualTo(array("a"));
              assertDeliveryHeaders(push, "1", false);
              push.reply(null);
              return push;
            }))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 3L).put("taken", 2L)
            .put("deadLettered", 1L)))
        .compose(v -> requests.channel("jobs-dead", "take").timeout(0).send())
        .map(dead -> {
          assertThat(dead.body()).isEqualTo("b");
          assertThat(dead.headers().getAll("reason")).containsExactly("unmappable");
          return dead;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPushAnswerCanDelayAnItemWhichIsPushedAgainNoSoonerThanAsked(VertxTestContext ctx) {
    long[] answered = new long[1];
    ConsumerInbox.open(vertx, "me")
        .compose(me -> requests.create("jobs", 5)
            .compose(v -> requests.putAll("jobs", "a", "b"))
            .compose(v -> consume("jobs", "me", 2))
            .compose(v -> me.next())
            .compose(push -> {
              answered[0] = System.nanoTime();
              push.reply(new JsonObject().put("delay", new JsonArray().add(delay(0, DELAY_MS))).put("credit", 1));
              return requests.status("jobs");
            })
            .map(status -> assertThat(status).as("b taken, a held back")
                .isEqualTo(freshStatus("jobs", 5).put("takers", 1).put("put", 2L).put("taken", 1L).put("inFlight", 1)))
            .compose(v -> me.next())
            .map(push -> {
              assertThat(elapsedMs(answered[0])).isGreaterThanOrEqualTo(DELAY_MS);
              assertThat(push.body()).isEqualTo(array("a"));
              assertDeliveryHeaders(push, "2", true);
              push.reply(null);
              return push;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  // helpers

  private Future<Message<Object>> batchTakeWithAck(String name, int max) {
    return requests.channel(name, "take").header("ack", "true").header("max", String.valueOf(max)).timeout(0).send();
  }

  private Future<JsonObject> consume(String name, String address, int credit) {
    return requests.channel(name, "consume").body(new JsonObject().put("address", address).put("credit", credit)).json();
  }

  private static JsonObject delay(int index, long ms) {
    return new JsonObject().put("index", index).put("ms", ms);
  }

  private static JsonArray array(Object... items) {
    return new JsonArray(new ArrayList<>(List.of(items)));
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
