package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.BAD_REQUEST;
import static dev.channels.impl.host.HostRequests.CLOSED;
import static dev.channels.impl.host.HostRequests.EMPTY;
import static dev.channels.impl.host.HostRequests.FULL;
import static dev.channels.impl.host.HostRequests.OVERLOADED;
import static dev.channels.impl.host.HostRequests.TIMEOUT;
import static dev.channels.impl.host.HostRequests.assertDeliveryHeaders;
import static dev.channels.impl.host.HostRequests.assertNoDeliveryHeaders;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acknowledged takes ({@code ack: true}): an item handed out stays in flight until the taker
 * answers the delivery; a reply acknowledges it (and may carry the next request), a failure, a
 * lost taker or the ack deadline returns it to the head of the channel. Close, finish and delete
 * with items in flight.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostAckTest extends HostTestBase {

  /** Long enough that a waiting request is still waiting when the test acts on it. */
  private static final long WAIT = 5_000;
  /** The ack deadline of the host at {@code quick}. */
  private static final long ACK_TIMEOUT_MS = 200;
  /** How long to keep watching for an event that must not come, after a round trip to the host. */
  private static final long OBSERVATION_MS = 150;


  // the ack header

  static Stream<List<String>> malformedAckHeaders() {
    return Stream.of(List.of("yes"), List.of("TRUE"), List.of("1"), List.of(""), List.of("true", "true"),
        List.of("true", "false"));
  }

  @ParameterizedTest(name = "ack {0} is refused 400 on take and poll, and changes nothing")
  @MethodSource("malformedAckHeaders")
  void anAckHeaderOtherThanOneTrueOrFalseIsRefusedAndChangesNothing(List<String> values, VertxTestContext ctx) {
    String[] ack = values.toArray(String[]::new);
    requests.create("jobs", 2)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> refused(requests.channel("jobs", "take").header("ack", ack).timeout(0).send(),
            BAD_REQUEST, "BAD_REQUEST"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("'ack'"))
        .compose(v -> refused(requests.channel("jobs", "poll").header("ack", ack).send(), BAD_REQUEST, "BAD_REQUEST"))
        .compose(v -> refused(requests.channel("jobs", "take").header("ack", ack).timeout(WAIT).send(),
            BAD_REQUEST, "BAD_REQUEST"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2).put("size", 1).put("put", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTakeWithAckFalseOrWithoutAckIsAPlainTakeThatCountsAtOnce(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.channel("jobs", "take").header("ack", "false").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo("a");
          assertNoDeliveryHeaders(reply);
          return reply;
        })
        .compose(v -> requests.channel("jobs", "poll").send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo("b");
          assertNoDeliveryHeaders(reply);
          return reply;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2).put("put", 2L).put("taken", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // in flight, acknowledged

  @Test
  void anAcknowledgedTakeSentWithoutAReplyAddressIsRefusedAndChangesNothing(VertxTestContext ctx) {
    DeliveryOptions takeWithAck = new DeliveryOptions().addHeader("action", "take").addHeader("ack", "true");
    requests.create("jobs", 5)
        // on an empty channel: it must not wait, for nobody could acknowledge what it is handed
        .compose(v -> {
          vertx.eventBus().send(requests.address("jobs"), null, takeWithAck);
          return requests.status("jobs");
        })
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)))
        .compose(v -> requests.put("jobs", "a"))
        // on a channel with an item: nothing is handed out
        .compose(v -> {
          vertx.eventBus().send(requests.address("jobs"), null, takeWithAck);
          return requests.status("jobs");
        })
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 1).put("put", 1L)))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("a"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anAcknowledgedItemIsInFlightUntilTheTakerRepliesThenCountsAsTaken(VertxTestContext ctx) {
    JsonObject jobs = freshStatus("jobs", 5).put("put", 2L);
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(delivery -> {
          assertThat(delivery.body()).isEqualTo("a");
          assertDeliveryHeaders(delivery, "1", false);
          return requests.status("jobs")
              .map(status -> assertThat(status).as("in flight: neither buffered nor taken")
                  .isEqualTo(jobs.copy().put("size", 1).put("inFlight", 1)))
              .map(v -> {
                delivery.reply(null);
                return v;
              });
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(jobs.copy().put("size", 1).put("taken", 1L)))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("b"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPollWithAckHandsOutAnItemInFlightAndFailsEmptyOnAnEmptyChannel(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.channel("jobs", "poll").header("ack", "true").send())
        .compose(delivery -> {
          assertThat(delivery.body()).isEqualTo("a");
          assertDeliveryHeaders(delivery, "1", false);
          return refused(requests.channel("jobs", "poll").header("ack", "true").send(), EMPTY, "EMPTY")
              .compose(v -> requests.status("jobs"))
              .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 1L).put("inFlight", 1)))
              .map(v -> {
                delivery.fail(500, "not now");
                return v;
              });
        })
        .compose(v -> requests.channel("jobs", "poll").send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo("a");
          assertDeliveryHeaders(reply, "2", true);
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void onADeliveryThatCarriesDeliveryHeadersTheHostsValuesReplaceAnItemsOwnHeadersOfTheSameNames(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.channel("jobs", "put").header("deliveries", "7").header("redelivered", "true")
            .header("trace", "t").body("a").timeout(0).send())
        .compose(v -> requests.takeWithAck("jobs"))
        .map(first -> {
          assertDeliveryHeaders(first, "1", false);
          assertThat(first.headers().getAll("trace")).containsExactly("t");
          first.fail(500, "nack");
          return first;
        })
        .compose(v -> requests.channel("jobs", "take").timeout(0).send())
        .map(second -> {
          assertDeliveryHeaders(second, "2", true);
          assertThat(second.headers().getAll("trace")).containsExactly("t");
          return second;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // returned items

  @Test
  void failingTheDeliveryReturnsTheItemAtOnceAheadOfItemsNeverHandedOut(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b", "c"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(delivery -> {
          delivery.fail(503, "busy");
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 3).put("put", 3L)))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(again -> {
          assertThat(again.body()).isEqualTo("a");
          assertDeliveryHeaders(again, "2", true);
          again.reply(null);
          return again;
        })
        .compose(v -> requests.takeWithAck("jobs"))
        .map(fresh -> {
          assertThat(fresh.body()).isEqualTo("b");
          assertDeliveryHeaders(fresh, "1", false);
          fresh.reply(null);
          return fresh;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 1).put("put", 3L).put("taken", 2L)
            .put("redelivered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPlainTakeOfAFreshItemCarriesNoDeliveryHeadersButAPlainTakeOfAReturnedItemCarriesBoth(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(delivery -> {
          delivery.fail(500, "nack");
          return delivery;
        })
        .compose(v -> requests.channel("jobs", "take").timeout(0).send())
        .map(returned -> {
          assertThat(returned.body()).isEqualTo("a");
          assertDeliveryHeaders(returned, "2", true);
          return returned;
        })
        .compose(v -> requests.channel("jobs", "take").timeout(0).send())
        .map(fresh -> {
          assertThat(fresh.body()).isEqualTo("b");
          assertNoDeliveryHeaders(fresh);
          return fresh;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 2L).put("taken", 2L)
            .put("redelivered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReturnedItemGoesStraightToTheOldestWaitingTaker(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(delivery -> {
          Future<Message<Object>> oldest = requests.channel("jobs", "take").timeout(WAIT).send();
          Future<Message<Object>> next = requests.channel("jobs", "take").header("ack", "true").timeout(WAIT).send();
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isEqualTo(2))
              .compose(v -> {
                delivery.fail(500, "nack");
                return oldest;
              })
              .map(reply -> {
                assertThat(reply.body()).isEqualTo("a");
                assertDeliveryHeaders(reply, "2", true);
                return reply;
              })
              .compose(v -> requests.status("jobs"))
              .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)
                  .put("takers", 1).put("put", 1L).put("taken", 1L).put("redelivered", 1L)))
              .compose(v -> requests.put("jobs", "b"))
              .compose(v -> next)
              .map(reply -> {
                assertThat(reply.body()).isEqualTo("b");
                assertDeliveryHeaders(reply, "1", false);
                return reply;
              });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void returnedItemsComeBackInTheOrderOfTheirFirstDelivery(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b", "c", "d"))
        .compose(v -> Future.all(requests.takeWithAck("jobs"), requests.takeWithAck("jobs"), requests.takeWithAck("jobs")))
        .map(three -> {
          List<Message<Object>> deliveries = three.list();
          assertThat(deliveries).extracting(Message::body).containsExactly("a", "b", "c");
          // returned in another order than they were handed out
          deliveries.get(2).fail(500, "nack c");
          deliveries.get(0).fail(500, "nack a");
          deliveries.get(1).fail(500, "nack b");
          return deliveries;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 4).put("put", 4L)))
        .compose(v -> takeEach(4))
        .map(replies -> {
          assertThat(replies).extracting(Message::body).containsExactly("a", "b", "c", "d");
          assertDeliveryHeaders(replies.get(0), "2", true);
          assertDeliveryHeaders(replies.get(2), "2", true);
          assertNoDeliveryHeaders(replies.get(3));
          return replies;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anItemInFlightHoldsNoCapacitySlot(VertxTestContext ctx) {
    requests.create("jobs", 1)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(delivery -> requests.channel("jobs", "offer").body("b").send())
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 1).put("size", 1).put("put", 2L).put("inFlight", 1)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReturnedItemIsBufferedBeyondTheCapacityAndPutsThenWaitForRoom(VertxTestContext ctx) {
    requests.create("jobs", 1)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(delivery -> requests.put("jobs", "b").map(delivery))
        .map(delivery -> {
          delivery.fail(500, "nack");
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 1).put("size", 2).put("put", 2L)))
        .compose(v -> refused(requests.channel("jobs", "put").timeout(0).body("c").send(), TIMEOUT, "TIMEOUT"))
        .compose(v -> refused(requests.channel("jobs", "offer").body("c").send(), FULL, "FULL"))
        .compose(v -> {
          Future<Message<Object>> putC = requests.channel("jobs", "put").timeout(WAIT).body("c").send();
          return requests.take("jobs")
              .map(item -> assertThat(item).isEqualTo("a"))
              .compose(v2 -> requests.status("jobs"))
              .map(status -> assertThat(status).as("one buffered item fills capacity 1: c still waits")
                  .isEqualTo(freshStatus("jobs", 1).put("size", 1).put("putters", 1).put("put", 2L).put("taken", 1L)
                      .put("redelivered", 1L)))
              .compose(v2 -> requests.take("jobs"))
              .map(item -> assertThat(item).isEqualTo("b"))
              .compose(v2 -> putC);
        })
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("c"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReturnedItemIsBufferedBeyondMaxQueuedItemsAndNeverRefused(VertxTestContext ctx) {
    HostRequests limited = new HostRequests(vertx, "limited");
    deploy(new JsonObject().put("address", "limited").put("limits", new JsonObject().put("maxQueuedItems", 1)))
        .compose(v -> limited.create("jobs"))
        .compose(v -> limited.put("jobs", "a"))
        .compose(v -> limited.takeWithAck("jobs"))
        .compose(delivery -> limited.put("jobs", "b").map(delivery))
        .compose(delivery -> refused(limited.channel("jobs", "offer").body("c").send(), OVERLOADED, "OVERLOADED")
            .map(delivery))
        .map(delivery -> {
          delivery.fail(500, "nack");
          return delivery;
        })
        .compose(v -> limited.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null).put("size", 2).put("put", 2L)))
        .compose(v -> limited.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> refused(limited.channel("jobs", "offer").body("c").send(), OVERLOADED, "OVERLOADED"))
        .compose(v -> limited.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("b"))
        .compose(v -> limited.put("jobs", "c"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRendezvousPutIsAnsweredOnceAnAcknowledgingTakerHasItsItemAndANackBuffersIt(VertxTestContext ctx) {
    requests.create("meet", 0)
        .compose(v -> {
          Future<Message<Object>> taker = requests.channel("meet", "take").header("ack", "true").timeout(WAIT).send();
          return requests.status("meet")
              .map(status -> assertThat(status.getInteger("takers")).isOne())
              .compose(v2 -> requests.channel("meet", "put").timeout(WAIT).body("x").send())
              .compose(v2 -> taker);
        })
        .compose(delivery -> {
          assertThat(delivery.body()).isEqualTo("x");
          assertDeliveryHeaders(delivery, "1", false);
          return requests.status("meet")
              .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0).put("put", 1L).put("inFlight", 1)))
              .map(v -> {
                delivery.fail(500, "nack");
                return v;
              });
        })
        .compose(v -> requests.status("meet"))
        .map(status -> assertThat(status).as("re-buffered beyond capacity 0")
            .isEqualTo(freshStatus("meet", 0).put("size", 1).put("put", 1L)))
        .compose(v -> requests.channel("meet", "poll").send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo("x");
          assertDeliveryHeaders(reply, "2", true);
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRedeliveryChangesNeitherPutNorTaken(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(first -> {
          first.fail(500, "nack");
          return first;
        })
        .compose(v -> requests.takeWithAck("jobs"))
        .map(second -> {
          assertDeliveryHeaders(second, "2", true);
          second.fail(500, "nack");
          return second;
        })
        .compose(v -> requests.status("jobs"))
        // a second nack holds the item back (the back-off, nackBackoffMs 100): still in flight
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("inFlight", 1).put("put", 1L)
            .put("redelivered", 1L)))
        .compose(v -> requests.channel("jobs", "take").header("ack", "true").timeout(WAIT).send())
        .map(third -> {
          assertDeliveryHeaders(third, "3", true);
          third.reply(null);
          return third;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 1L).put("taken", 1L)
            .put("redelivered", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // lost takers

  @Test
  void anUnansweredDeliveryReturnsItsItemOnceAckTimeoutMsHasPassedAndTheDeadlineRestartsOnEachDelivery(
      VertxTestContext ctx) {
    HostRequests quick = new HostRequests(vertx, "quick");
    long[] start = new long[1];
    deploy(new JsonObject().put("address", "quick").put("ackTimeoutMs", ACK_TIMEOUT_MS))
        .compose(v -> quick.create("jobs", 5))
        .compose(v -> quick.put("jobs", "a"))
        .compose(v -> {
          start[0] = System.nanoTime(); // before the host starts the deadline
          return quick.takeWithAck("jobs");
        })
        .compose(unanswered -> quick.status("jobs")
            .map(status -> assertThat(status.getInteger("inFlight")).isOne())
            .compose(v -> quick.channel("jobs", "take").header("ack", "true").timeout(WAIT).send()))
        .compose(redelivered -> {
          assertThat(elapsedMs(start[0])).isGreaterThanOrEqualTo(ACK_TIMEOUT_MS);
          assertThat(redelivered.body()).isEqualTo("a");
          assertDeliveryHeaders(redelivered, "2", true);
          start[0] = System.nanoTime();
          // also left unanswered: it returns a second time, a new ACK_TIMEOUT_MS after this delivery
          return quick.channel("jobs", "take").timeout(WAIT).send();
        })
        .map(third -> {
          // the redelivery reached the test a little after the host restarted the deadline
          assertThat(elapsedMs(start[0])).as("a new deadline, not the first one").isGreaterThanOrEqualTo(ACK_TIMEOUT_MS / 2);
          assertThat(third.body()).isEqualTo("a");
          assertDeliveryHeaders(third, "3", true);
          return third;
        })
        .compose(v -> quick.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 1L).put("taken", 1L)
            .put("redelivered", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anAckAfterTheAckDeadlineChangesNothingOnceTheItemWasHandedOutAgain(VertxTestContext ctx) {
    HostRequests quick = new HostRequests(vertx, "quick");
    deploy(new JsonObject().put("address", "quick").put("ackTimeoutMs", ACK_TIMEOUT_MS))
        .compose(v -> quick.create("jobs", 5))
        .compose(v -> quick.put("jobs", "a"))
        .compose(v -> quick.takeWithAck("jobs"))
        .compose(late -> quick.channel("jobs", "take").timeout(WAIT).send()
            .map(returned -> {
              assertThat(returned.body()).isEqualTo("a");
              late.reply(null);
              return returned;
            }))
        .compose(v -> quick.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 1L).put("taken", 1L)
            .put("redelivered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anItemServedToTakersThatNoLongerWaitForTheirReplyGoesOnToTheNextTaker(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> {
          // the requesters give up after 100 ms; the host still holds their takes
          Future<Void> gone1 = givenUp(requests.channel("jobs", "take").header("ack", "true").timeout(WAIT)
              .sendTimeout(100).send());
          Future<Void> gone2 = givenUp(requests.channel("jobs", "take").header("ack", "true").timeout(WAIT)
              .sendTimeout(100).send());
          return Future.all(gone1, gone2);
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status.getInteger("takers")).as("the host still holds both takes").isEqualTo(2))
        .compose(v -> {
          Future<Message<Object>> live = requests.channel("jobs", "take").header("ack", "true").timeout(WAIT).send();
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isEqualTo(3))
              .compose(v2 -> requests.put("jobs", "a"))
              .compose(v2 -> live);
        })
        .map(delivery -> {
          assertThat(delivery.body()).isEqualTo("a");
          assertDeliveryHeaders(delivery, "3", true);
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 1L).put("inFlight", 1)
            .put("redelivered", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anItemServedToATakerThatNoLongerWaitsReturnsToTheBufferWhenNobodyElseWaits(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> givenUp(requests.channel("jobs", "take").header("ack", "true").timeout(WAIT)
            .sendTimeout(100).send()))
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 2).put("put", 2L)))
        .compose(v -> requests.takeWithAck("jobs"))
        .map(delivery -> {
          assertThat(delivery.body()).isEqualTo("a");
          assertDeliveryHeaders(delivery, "2", true);
          return delivery;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // acknowledgements that carry the next request

  @Test
  void anAckCanCarryTheNextTakeWhichIsAnsweredWithTheNextItem(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(a -> requests.riding(a, "take").header("ack", "true").timeout(0).send())
        .compose(b -> {
          assertThat(b.body()).isEqualTo("b");
          assertDeliveryHeaders(b, "1", false);
          return requests.status("jobs")
              .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)
                  .put("put", 2L).put("taken", 1L).put("inFlight", 1)))
              .compose(v -> {
                // this one has to wait for its item
                Future<Message<Object>> c = requests.riding(b, "take").header("ack", "true").timeout(WAIT).send();
                return requests.status("jobs")
                    .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)
                        .put("takers", 1).put("put", 2L).put("taken", 2L)))
                    .compose(v2 -> requests.put("jobs", "c"))
                    .compose(v2 -> c);
              });
        })
        .compose(c -> {
          assertThat(c.body()).isEqualTo("c");
          // the last acknowledgement carries a status request
          return requests.riding(c, "status").send();
        })
        .map(status -> assertThat(status.body()).isEqualTo(freshStatus("jobs", 5).put("put", 3L).put("taken", 3L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aMalformedRidingRequestIsRefusedButTheAckStands(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b", "c"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(a -> refused(requests.riding(a, "take").header("ack", "yes").send(), BAD_REQUEST, "BAD_REQUEST"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(b -> refused(requests.riding(b, "frobnicate").send(), BAD_REQUEST, "BAD_REQUEST"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(c -> refused(requests.riding(c, "put").send(), BAD_REQUEST, "BAD_REQUEST"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("put", 3L).put("taken", 3L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // close and finish with items in flight

  @Test
  void aClosedChannelWithItemsInFlightHasNotFinishedUntilTheyAreSettled(VertxTestContext ctx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    requests.create("jobs", 5)
        .compose(v -> listen(requests.joinedAddress("jobs"), events))
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.takeWithAck("jobs"))
        .compose(delivery -> requests.close("jobs")
            .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)
                .put("closed", true).put("put", 1L).put("inFlight", 1)))
            .compose(v -> refused(requests.channel("jobs", "poll").send(), EMPTY, "EMPTY"))
            .compose(v -> refused(requests.channel("jobs", "join").timeout(0).send(), TIMEOUT, "TIMEOUT"))
            .compose(v -> refused(requests.channel("jobs", "put").body("b").send(), CLOSED, "CLOSED"))
            .compose(v -> observationWindow())
            .map(v -> {
              assertThat(events).as("no joined event while an item is in flight").isEmpty();
              return delivery;
            }))
        .compose(delivery -> {
          Future<Message<Object>> waiting = requests.channel("jobs", "take").timeout(WAIT).send();
          Future<JsonObject> join = requests.channel("jobs", "join").timeout(WAIT).json();
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).as("a take waits for a returned item").isOne())
              .compose(v -> {
                delivery.fail(500, "nack");
                return waiting;
              })
              .map(reply -> {
                assertThat(reply.body()).isEqualTo("a");
                assertDeliveryHeaders(reply, "2", true);
                return reply;
              })
              // a plain take took the last item: closed, drained, nothing in flight
              .compose(v -> join);
        })
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)
            .put("closed", true).put("finished", true).put("put", 1L).put("taken", 1L).put("redelivered", 1L)))
        .compose(v -> observationWindow())
        .map(v -> assertThat(events).hasSize(1))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void takesWaitingOnAClosedChannelFailClosedWhenTheLastItemInFlightIsAcknowledgedThenJoinsThenTheEvent(
      VertxTestContext ctx) {
    List<String> order = new CopyOnWriteArrayList<>();
    JsonObject finished = freshStatus("jobs", 5).put("closed", true).put("finished", true)
        .put("put", 2L).put("taken", 2L);
    // one context receives everything, so what the host sends arrives in the order it was sent
    vertx.getOrCreateContext().runOnContext(start -> requests.create("jobs", 5)
        .compose(v -> vertx.eventBus().<JsonObject>consumer(requests.joinedAddress("jobs"),
            event -> order.add("joined event " + event.body().getBoolean("finished"))).completion())
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> Future.all(requests.takeWithAck("jobs"), requests.takeWithAck("jobs")))
        .compose(both -> {
          Message<Object> a = both.resultAt(0);
          Message<Object> b = both.resultAt(1);
          Future<?> plain = refused(requests.channel("jobs", "take").timeout(WAIT).send(), CLOSED, "CLOSED")
              .onSuccess(r -> order.add("plain take 410"));
          Future<?> acking = refused(requests.channel("jobs", "take").header("ack", "true").timeout(WAIT).send(),
              CLOSED, "CLOSED").onSuccess(r -> order.add("acking take 410"));
          Future<JsonObject> join = requests.channel("jobs", "join").timeout(WAIT).json()
              .onSuccess(status -> order.add("join reply"));
          return requests.close("jobs")
              .compose(v -> requests.status("jobs"))
              .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)
                  .put("closed", true).put("takers", 2).put("put", 2L).put("inFlight", 2)))
              .compose(v -> {
                a.reply(null);
                return requests.status("jobs");
              })
              .map(status -> assertThat(status).as("one item still in flight").isEqualTo(freshStatus("jobs", 5)
                  .put("closed", true).put("takers", 2).put("put", 2L).put("taken", 1L).put("inFlight", 1)))
              .compose(v -> {
                b.reply(null);
                return Future.all(plain, acking, join);
              })
              .map(v -> assertThat(join.result()).isEqualTo(finished));
        })
        .compose(v -> observationWindow())
        .map(v -> assertThat(order).containsExactly("plain take 410", "acking take 410", "join reply",
            "joined event true"))
        .onComplete(ctx.succeedingThenComplete()));
  }

  // delete

  @Test
  void deleteForgetsItemsInFlightNotEvenRedeliveringThemToAChannelCreatedAgainUnderTheName(VertxTestContext ctx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    requests.create("jobs", 5)
        .compose(v -> listen(requests.joinedAddress("jobs"), events))
        .compose(v -> requests.putAll("jobs", "a", "b", "c", "d"))
        .compose(v -> Future.all(requests.takeWithAck("jobs"), requests.takeWithAck("jobs"), requests.takeWithAck("jobs")))
        .compose(three -> requests.delete("jobs")
            .map(deleted -> assertThat(deleted).as("in-flight items are not buffered items")
                .isEqualTo(new JsonObject().put("name", "jobs").put("discarded", 1)))
            .compose(v -> requests.create("jobs", 5))
            .compose(v -> {
              List<Message<Object>> deliveries = three.list();
              deliveries.get(0).reply(null);
              deliveries.get(1).fail(500, "nack");
              return refused(requests.riding(deliveries.get(2), "take").timeout(0).send(), CLOSED, "CLOSED");
            }))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)))
        .compose(v -> refused(requests.channel("jobs", "poll").send(), EMPTY, "EMPTY"))
        .compose(v -> requests.close("jobs"))
        .map(status -> assertThat(status.getBoolean("finished")).isTrue())
        .compose(v -> observationWindow())
        .map(v -> assertThat(events).as("only the new channel's end").hasSize(1))
        .onComplete(ctx.succeedingThenComplete());
  }

  // helpers

  private Future<Void> deploy(JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config)).mapEmpty();
  }

  /** Takes {@code count} items one after the other, each available at once. */
  private Future<List<Message<Object>>> takeEach(int count) {
    List<Message<Object>> replies = new CopyOnWriteArrayList<>();
    Future<Void> done = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      done = done.compose(v -> requests.channel("jobs", "take").timeout(0).send().map(reply -> {
        replies.add(reply);
        return null;
      }));
    }
    return done.map(v -> replies);
  }

  /** Succeeds once the requester has given up waiting for the reply (its own send timeout). */
  private static Future<Void> givenUp(Future<Message<Object>> request) {
    return request.transform(outcome -> {
      assertThat(outcome.failed()).as("the requester gave up").isTrue();
      assertThat(((ReplyException) outcome.cause()).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
      return Future.succeededFuture();
    });
  }

  private Future<Void> listen(String address, List<JsonObject> events) {
    return vertx.eventBus().<JsonObject>consumer(address, event -> events.add(event.body())).completion();
  }

  /** A bounded window in which an unwanted event would have arrived (see HostJoinAndDeleteTest). */
  private Future<Void> observationWindow() {
    return requests.list().compose(v -> vertx.timer(OBSERVATION_MS)).mapEmpty();
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
