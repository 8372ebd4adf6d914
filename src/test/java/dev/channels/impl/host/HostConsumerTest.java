package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.BAD_REQUEST;
import static dev.channels.impl.host.HostRequests.CONFLICT;
import static dev.channels.impl.host.HostRequests.NOT_FOUND;
import static dev.channels.impl.host.HostRequests.OVERLOADED;
import static dev.channels.impl.host.HostRequests.assertDeliveryHeaders;
import static dev.channels.impl.host.HostRequests.assertNoDeliveryHeaders;
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
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streaming consumers: {@code consume} registers the consumer's own address with credit, the host
 * pushes items there (a request per batch, within the credit), and the consumer's answer to each
 * push settles its items; {@code credit} grants more, {@code cancel} leaves. A consumer that is
 * gone is removed and its items return; every consumer hears of the channel's end or deletion.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostConsumerTest extends HostTestBase {

  /** Long enough that a waiting request is still waiting when the test acts on it. */
  private static final long WAIT = 5_000;
  /** The ack deadline of the host at {@code quick}. */
  private static final long ACK_TIMEOUT_MS = 200;
  /** How long to keep watching for a message that must not come, after a round trip to the host. */
  private static final long OBSERVATION_MS = 150;


  // validation

  static Stream<Arguments> malformedConsumerRequests() {
    JsonObject ok = new JsonObject().put("address", "me").put("credit", 1);
    return Stream.of(
        Arguments.of("consume", null, "JSON object"),
        Arguments.of("consume", "me", "JSON object"),
        Arguments.of("consume", new JsonArray().add("me"), "JSON object"),
        Arguments.of("consume", new JsonObject().put("credit", 1), "'address'"),
        Arguments.of("consume", ok.copy().put("address", ""), "'address'"),
        Arguments.of("consume", ok.copy().put("address", 5), "'address'"),
        Arguments.of("consume", ok.copy().putNull("address"), "'address'"),
        Arguments.of("consume", new JsonObject().put("address", "me"), "'credit'"),
        Arguments.of("consume", ok.copy().put("credit", -1), "'credit'"),
        Arguments.of("consume", ok.copy().put("credit", 2_147_483_648L), "'credit'"),
        Arguments.of("consume", ok.copy().put("credit", "5"), "'credit'"),
        Arguments.of("consume", ok.copy().put("credit", 1.5), "'credit'"),
        Arguments.of("consume", ok.copy().put("credit", true), "'credit'"),
        Arguments.of("consume", ok.copy().put("ack", true), "'ack'"),
        Arguments.of("credit", null, "JSON object"),
        Arguments.of("credit", ok.copy().put("credit", 0), "'credit'"),
        Arguments.of("credit", new JsonObject().put("address", "me"), "'credit'"),
        Arguments.of("credit", new JsonObject().put("credit", 1), "'address'"),
        Arguments.of("credit", ok.copy().put("more", 1), "'more'"),
        Arguments.of("cancel", null, "JSON object"),
        Arguments.of("cancel", new JsonObject(), "'address'"),
        Arguments.of("cancel", ok, "'credit'"));
  }

  @ParameterizedTest(name = "{0} with {1} is refused 400 naming {2}")
  @MethodSource("malformedConsumerRequests")
  void aMalformedConsumerRequestIsRefusedNamingTheFieldAndRegistersNothing(String action, Object body, String named,
                                                                          VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> refused(requests.channel("jobs", action).body(body).send(), BAD_REQUEST, "BAD_REQUEST"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains(action).contains(named))
        .compose(v -> refused(credit("jobs", "me", 1), NOT_FOUND, "NOT_FOUND"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void consumeRepliesTheStatusAndAcceptsCreditZeroWhileCreditNeedsAtLeastOne(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 5)
            .compose(v -> requests.put("jobs", "a"))
            .compose(v -> consume("jobs", "me", 0))
            .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 1).put("put", 1L)))
            .compose(v -> observationWindow())
            .map(v -> assertThat(me.size()).as("no credit, no push").isZero())
            .compose(v -> credit("jobs", "me", 1))
            .map(reply -> assertThat(reply.body()).as("credit replies null").isEqualTo(null))
            .compose(v -> me.next()))
        .map(push -> {
          assertThat(push.body()).isEqualTo(array("a"));
          return push;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSecondConsumeFromTheSameAddressIsAConflict(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> consume("jobs", "me", 0))
        .compose(v -> refused(consume("jobs", "me", 3), CONFLICT, "CONFLICT"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("'me'"))
        // the same address may consume another channel
        .compose(v -> requests.create("other", 5))
        .compose(v -> consume("other", "me", 0))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void creditAndCancelOfAnAddressThatDoesNotConsumeTheChannelAreNotFound(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> refused(credit("jobs", "stranger", 1), NOT_FOUND, "NOT_FOUND"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("'stranger'"))
        .compose(v -> refused(cancel("jobs", "stranger"), NOT_FOUND, "NOT_FOUND"))
        .compose(v -> consume("jobs", "me", 0))
        .compose(v -> cancel("jobs", "me"))
        .map(reply -> assertThat(reply).isEqualTo(new JsonObject().put("returned", 0)))
        .compose(v -> refused(cancel("jobs", "me"), NOT_FOUND, "NOT_FOUND"))
        .compose(v -> refused(credit("jobs", "me", 1), NOT_FOUND, "NOT_FOUND"))
        .onComplete(ctx.succeedingThenComplete());
  }

  // pushes and credit

  @Test
  void pushesRespectTheCreditExactly(VertxTestContext ctx) {
    Object[] items = IntStream.range(0, 10).boxed().toArray();
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> requests.putAll("jobs", items))
            .compose(v -> consume("jobs", "me", 3))
            .compose(v -> me.next())
            .map(push -> {
              assertThat(push.body()).as("several items ready: one push").isEqualTo(array(0, 1, 2));
              assertDeliveryHeaders(push, "1,1,1", false);
              push.reply(null);
              return push;
            })
            .compose(v -> observationWindow())
            .map(v -> assertThat(me.size()).as("credit used up").isOne())
            .compose(v -> requests.status("jobs"))
            .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10)
                .put("size", 7).put("put", 10L).put("taken", 3L)))
            .compose(v -> credit("jobs", "me", 2))
            .compose(v -> me.next())
            .map(push -> {
              assertThat(push.body()).isEqualTo(array(3, 4));
              push.reply(null);
              return push;
            })
            .compose(v -> observationWindow())
            .map(v -> assertThat(me.size()).isEqualTo(2)))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 5).put("put", 10L).put("taken", 5L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aWaitingConsumerGetsEachItemAsItArrivesAndSeveralPerPushWhenSeveralAreReady(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> consume("jobs", "me", 10))
            .compose(v -> requests.status("jobs"))
            .map(status -> assertThat(status.getInteger("takers")).as("a consumer with credit waits like a take").isOne())
            .compose(v -> requests.put("jobs", "a"))
            .compose(v -> me.next())
            .map(push -> {
              assertThat(push.body()).isEqualTo(array("a"));
              assertDeliveryHeaders(push, "1", false);
              push.reply(null);
              return push;
            })
            .compose(v -> requests.channel("jobs", "put-all").body(array("b", "c", "d")).json())
            .compose(v -> me.next())
            .map(push -> {
              assertThat(push.body()).isEqualTo(array("b", "c", "d"));
              assertDeliveryHeaders(push, "1,1,1", false);
              push.reply(null);
              return push;
            }))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("takers", 1).put("put", 4L).put("taken", 4L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPushCarriesAtMost1000Items(VertxTestContext ctx) {
    Object[] items = IntStream.range(0, 2_500).boxed().toArray();
    inbox("me")
        .compose(me -> requests.create("jobs")
            .compose(v -> requests.channel("jobs", "put-all").body(array(items)).json())
            .compose(v -> consume("jobs", "me", 5_000))
            .compose(v -> Future.all(me.next(), me.next(), me.next())))
        .map(pushes -> {
          List<Message<JsonArray>> three = pushes.list();
          assertThat(three).extracting(push -> push.body().size()).containsExactly(1_000, 1_000, 500);
          assertThat(three.get(2).body().getValue(499)).isEqualTo(2_499);
          return pushes;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anItemWithHeadersIsPushedAloneWithItsHeadersAndAPushIsToldFromAnEventByItsReplyAddress(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> requests.put("jobs", "a"))
            .compose(v -> requests.channel("jobs", "put").header("trace", "t-b").header("event", "created")
                .body("b").timeout(0).send())
            .compose(v -> requests.put("jobs", "c"))
            .compose(v -> consume("jobs", "me", 10))
            .compose(v -> Future.all(me.next(), me.next(), me.next())))
        .map(pushes -> {
          List<Message<Object>> three = pushes.list();
          assertThat(three).extracting(Message::body).containsExactly(array("a"), array("b"), array("c"));
          assertThat(three.get(1).headers().getAll("trace")).containsExactly("t-b");
          assertThat(three.get(1).headers().getAll("event")).as("an item's own header").containsExactly("created");
          assertThat(three).allSatisfy(push -> assertThat(push.replyAddress()).as("a push is a request").isNotNull());
          assertDeliveryHeaders(three.get(1), "1", false);
          assertThat(three.get(0).headers().contains("trace")).isFalse();
          return pushes;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // answers to pushes

  @Test
  void replyingToAPushAcknowledgesItsItems(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> requests.putAll("jobs", "a", "b"))
            .compose(v -> consume("jobs", "me", 2))
            .compose(v -> me.next())
            .compose(push -> requests.status("jobs")
                .map(status -> assertThat(status).as("pushed items are in flight")
                    .isEqualTo(freshStatus("jobs", 10).put("put", 2L).put("inFlight", 2)))
                .map(v -> {
                  push.reply(new JsonObject().put("thanks", true));
                  return v;
                })))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("put", 2L).put("taken", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReplyThatNacksIndicesReturnsThoseItemsToTheHeadAndAcknowledgesTheRest(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> requests.putAll("jobs", "a", "b", "c", "d"))
            .compose(v -> consume("jobs", "me", 3))
            .compose(v -> me.next())
            .map(push -> {
              assertThat(push.body()).isEqualTo(array("a", "b", "c"));
              push.reply(new JsonObject().put("nack", new JsonArray().add(1)));
              return push;
            }))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 2).put("put", 4L).put("taken", 2L)))
        .compose(v -> requests.channel("jobs", "take").header("max", "10").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("b", "d"));
          assertDeliveryHeaders(reply, "2,1", true);
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aReplyCanGrantMoreCreditAloneOrWithNacks(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> requests.putAll("jobs", "a", "b", "c", "d"))
            .compose(v -> consume("jobs", "me", 1))
            .compose(v -> me.next())
            .compose(push -> {
              assertThat(push.body()).isEqualTo(array("a"));
              push.reply(new JsonObject().put("credit", 2));
              return me.next();
            })
            .compose(push -> {
              assertThat(push.body()).isEqualTo(array("b", "c"));
              push.reply(new JsonObject().put("nack", new JsonArray().add(0)).put("credit", 1));
              return me.next();
            })
            .map(push -> {
              // b came back to the head, and the granted unit of credit brought it
              assertThat(push.body()).isEqualTo(array("b"));
              assertDeliveryHeaders(push, "2", true);
              push.reply(null);
              return push;
            })
            .compose(v -> observationWindow())
            .map(v -> assertThat(me.size()).isEqualTo(3)))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 1).put("put", 4L).put("taken", 3L)
            .put("redelivered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  static Stream<Arguments> malformedReplies() {
    return Stream.of(
        Arguments.of(new JsonObject().put("nack", "0")),
        Arguments.of(new JsonObject().put("nack", new JsonArray().add(2))),
        Arguments.of(new JsonObject().put("nack", new JsonArray().add(-1))),
        Arguments.of(new JsonObject().put("nack", new JsonArray().add("0"))),
        Arguments.of(new JsonObject().put("credit", -1)),
        Arguments.of(new JsonObject().put("credit", "5")),
        Arguments.of(new JsonObject().put("nack", new JsonArray().add(0)).put("credit", 2.5)));
  }

  @ParameterizedTest(name = "the reply {0} returns every item of the push and grants nothing")
  @MethodSource("malformedReplies")
  void aReplyWithAMalformedNackOrCreditReturnsEveryItemOfThePushAndGrantsNothing(JsonObject reply,
                                                                                VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> requests.putAll("jobs", "a", "b"))
            .compose(v -> consume("jobs", "me", 2))
            .compose(v -> me.next())
            .map(push -> {
              push.reply(reply);
              return push;
            })
            .compose(v -> requests.status("jobs"))
            .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 2).put("put", 2L)))
            .compose(v -> observationWindow())
            .map(v -> assertThat(me.size()).as("no credit was granted").isOne()))
        .compose(v -> credit("jobs", "me", 1))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void failingAPushReturnsItsItemsAndTheConsumerStays(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> requests.putAll("jobs", "a", "b", "c"))
            .compose(v -> consume("jobs", "me", 2))
            .compose(v -> me.next())
            .map(push -> {
              assertThat(push.body()).isEqualTo(array("a", "b"));
              push.fail(500, "cannot now");
              return push;
            })
            .compose(v -> requests.status("jobs"))
            .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 3).put("put", 3L)))
            .compose(v -> credit("jobs", "me", 3))
            .compose(v -> me.next())
            .map(push -> {
              assertThat(push.body()).isEqualTo(array("a", "b", "c"));
              assertDeliveryHeaders(push, "2,2,1", true);
              push.reply(null);
              return push;
            }))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("put", 3L).put("taken", 3L)
            .put("redelivered", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // gone consumers

  @Test
  void aConsumerWhoseAddressIsGoneIsRemovedAndItsItemGoesToTheNextTaker(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> consume("jobs", "me", 5))
            .compose(v -> {
              Future<Message<Object>> take = requests.channel("jobs", "take").header("ack", "true").timeout(WAIT).send();
              return requests.status("jobs")
                  .map(status -> assertThat(status.getInteger("takers")).isEqualTo(2))
                  .compose(v2 -> me.close())
                  // the consumer is the oldest waiter: the item is pushed to it first
                  .compose(v2 -> requests.put("jobs", "a"))
                  .compose(v2 -> take);
            }))
        .map(delivery -> {
          assertThat(delivery.body()).isEqualTo("a");
          assertDeliveryHeaders(delivery, "2", true);
          return delivery;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("put", 1L).put("inFlight", 1)
            .put("redelivered", 1L)))
        .compose(v -> refused(credit("jobs", "me", 1), NOT_FOUND, "NOT_FOUND"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aConsumerWhoseAddressIsGoneFromTheStartLosesNothingOfWhatItIsHanded(VertxTestContext ctx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    requests.create("jobs", 10)
        .compose(v -> vertx.eventBus().<JsonObject>consumer(requests.joinedAddress("jobs"), e -> events.add(e.body()))
            .completion())
        // b and c are pushed one by one: each carries headers
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.channel("jobs", "put").header("trace", "b").body("b").timeout(0).send())
        .compose(v -> requests.channel("jobs", "put").header("trace", "c").body("c").timeout(0).send())
        .compose(v -> consume("jobs", "nobody-listens", 10))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).as("removed at its first push; everything came back")
            .isEqualTo(freshStatus("jobs", 10).put("size", 3).put("put", 3L)))
        .compose(v -> refused(credit("jobs", "nobody-listens", 1), NOT_FOUND, "NOT_FOUND"))
        .compose(v -> requests.close("jobs"))
        .compose(v -> requests.channel("jobs", "take").header("max", "10").timeout(0).send())
        .map(reply -> assertThat(reply.body()).isEqualTo(array("a")))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("b"))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("c"))
        .compose(v -> requests.channel("jobs", "join").timeout(0).json())
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10)
            .put("closed", true).put("finished", true).put("put", 3L).put("taken", 3L).put("redelivered", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aConsumerThatDoesNotAnswerAPushWithinAckTimeoutMsIsExpiredAndItsItemsReturn(VertxTestContext ctx) {
    HostRequests quick = new HostRequests(vertx, "quick");
    long start = System.nanoTime();
    deploy(new JsonObject().put("address", "quick").put("ackTimeoutMs", ACK_TIMEOUT_MS))
        .compose(v -> inbox("slow"))
        .compose(slow -> quick.create("jobs", 10)
            .compose(v -> quick.putAll("jobs", "a", "b"))
            .compose(v -> consumeAt(quick, "jobs", "slow", 5))
            .compose(v -> slow.next())
            .compose(push -> {
              assertThat(push.body()).isEqualTo(array("a", "b"));
              return slow.next().map(expired -> {
                assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(ACK_TIMEOUT_MS);
                assertThat(expired.headers().getAll("event")).containsExactly("expired");
                assertThat(expired.replyAddress()).as("an event is not a request").isNull();
                push.reply(null); // too late: changes nothing
                return expired;
              });
            }))
        .compose(v -> quick.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 2).put("put", 2L)))
        .compose(v -> refused(quick.channel("jobs", "credit")
            .body(new JsonObject().put("address", "slow").put("credit", 1)).send(), NOT_FOUND, "NOT_FOUND"))
        .compose(v -> quick.channel("jobs", "take").header("max", "5").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("a", "b"));
          assertDeliveryHeaders(reply, "2,2", true);
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void cancelReturnsTheUnacknowledgedItemsAtOnceAndSaysHowMany(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> requests.putAll("jobs", "a", "b", "c"))
            .compose(v -> consume("jobs", "me", 2))
            .compose(v -> me.next())
            .compose(push -> cancel("jobs", "me")
                .map(reply -> assertThat(reply).isEqualTo(new JsonObject().put("returned", 2)))
                .map(v -> {
                  push.reply(null); // after cancel: changes nothing
                  return v;
                })))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 3).put("put", 3L)))
        .compose(v -> requests.channel("jobs", "take").header("max", "5").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("a", "b", "c"));
          assertNoDeliveryHeaders(reply); // a cancel releases: what it never answered is not counted
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aCancelledConsumerNoLongerWaitsNorReceives(VertxTestContext ctx) {
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> consume("jobs", "me", 5))
            .compose(v -> cancel("jobs", "me"))
            .map(reply -> assertThat(reply).isEqualTo(new JsonObject().put("returned", 0)))
            .compose(v -> requests.put("jobs", "a"))
            .compose(v -> observationWindow())
            .map(v -> assertThat(me.size()).isZero()))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 1).put("put", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // end and delete

  @Test
  void whenTheChannelFinishesEveryConsumerGetsTheEndWithTheFinalStatusAfterAllItsPushes(VertxTestContext ctx) {
    JsonObject finished = freshStatus("jobs", 10).put("closed", true).put("finished", true)
        .put("put", 2L).put("taken", 2L);
    Future.all(inbox("one"), inbox("two"), inbox("idle"))
        .compose(inboxes -> {
          ConsumerInbox one = inboxes.resultAt(0);
          ConsumerInbox two = inboxes.resultAt(1);
          ConsumerInbox idle = inboxes.resultAt(2);
          return requests.create("jobs", 10)
              .compose(v -> consume("jobs", "one", 5))
              .compose(v -> consume("jobs", "two", 5))
              .compose(v -> consume("jobs", "idle", 0))
              .compose(v -> requests.putAll("jobs", "a", "b"))
              .compose(v -> requests.close("jobs"))
              .map(status -> assertThat(status.getBoolean("finished")).as("two items in flight").isFalse())
              .compose(v -> Future.all(one.next(), two.next()))
              .compose(pushes -> {
                pushes.<Message<Object>>list().forEach(push -> push.reply(null));
                return Future.all(one.next(), two.next(), idle.next());
              })
              .map(ends -> {
                for (Message<Object> end : ends.<Message<Object>>list()) {
                  assertThat(end.headers().getAll("event")).containsExactly("end");
                  assertThat(end.replyAddress()).as("an event is not a request").isNull();
                  assertThat(end.body()).isEqualTo(finished);
                }
                assertThat(one.all()).extracting(Message::body).containsExactly(array("a"), finished);
                assertThat(two.all()).extracting(Message::body).containsExactly(array("b"), finished);
                return ends;
              });
        })
        .compose(v -> refused(credit("jobs", "one", 1), NOT_FOUND, "NOT_FOUND"))
        .compose(v -> refused(cancel("jobs", "idle"), NOT_FOUND, "NOT_FOUND"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void closingAnEmptyChannelEndsItsWaitingConsumersAtOnce(VertxTestContext ctx) {
    JsonObject finished = freshStatus("jobs", 10).put("closed", true).put("finished", true);
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> consume("jobs", "me", 5))
            .compose(v -> requests.close("jobs"))
            .map(status -> assertThat(status).isEqualTo(finished))
            .compose(v -> me.next()))
        .map(end -> {
          assertThat(end.headers().getAll("event")).containsExactly("end");
          return assertThat(end.body()).isEqualTo(finished);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void consumeOnAFinishedChannelRepliesItsStatusAndRegistersNothing(VertxTestContext ctx) {
    JsonObject finished = freshStatus("jobs", 10).put("closed", true).put("finished", true);
    inbox("me")
        .compose(me -> requests.create("jobs", 10)
            .compose(v -> requests.close("jobs"))
            .compose(v -> consume("jobs", "me", 5))
            .map(status -> assertThat(status).isEqualTo(finished))
            .compose(v -> consume("jobs", "me", 5))
            .map(status -> assertThat(status).as("nothing was registered: no conflict").isEqualTo(finished))
            .compose(v -> refused(credit("jobs", "me", 1), NOT_FOUND, "NOT_FOUND"))
            .compose(v -> observationWindow())
            .map(v -> assertThat(me.size()).as("not even an end event").isZero()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void deleteTellsEveryConsumerAndForgetsTheirItemsInFlight(VertxTestContext ctx) {
    Future.all(inbox("busy"), inbox("idle"))
        .compose(inboxes -> {
          ConsumerInbox busy = inboxes.resultAt(0);
          ConsumerInbox idle = inboxes.resultAt(1);
          return requests.create("jobs", 10)
              .compose(v -> requests.putAll("jobs", "a", "b"))
              .compose(v -> consume("jobs", "busy", 1))
              .compose(v -> consume("jobs", "idle", 0))
              .compose(v -> busy.next())
              .compose(push -> requests.delete("jobs")
                  .map(deleted -> assertThat(deleted).isEqualTo(new JsonObject().put("name", "jobs").put("discarded", 1)))
                  .compose(v -> Future.all(busy.next(), idle.next()))
                  .map(events -> {
                    for (Message<Object> event : events.<Message<Object>>list()) {
                      assertThat(event.headers().getAll("event")).containsExactly("deleted");
                    }
                    push.fail(500, "too late");
                    return events;
                  }))
              .compose(v -> requests.create("jobs", 10))
              .compose(v -> requests.status("jobs"))
              .map(status -> assertThat(status).as("nothing comes back into the new channel").isEqualTo(freshStatus("jobs", 10)))
              .compose(v -> refused(credit("jobs", "busy", 1), NOT_FOUND, "NOT_FOUND"));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void stoppingTheHostTellsEveryConsumerUnavailable(Vertx vertx, VertxTestContext ctx) {
    HostRequests other = new HostRequests(vertx, "other");
    vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("address", "other")))
        .compose(id -> inbox("me")
            .compose(me -> other.create("jobs", 10)
                .compose(v -> consumeAt(other, "jobs", "me", 5))
                .compose(v -> vertx.undeploy(id))
                .compose(v -> me.next())))
        .map(event -> assertThat(event.headers().getAll("event")).containsExactly("unavailable"))
        .onComplete(ctx.succeedingThenComplete());
  }

  // sharing the channel

  @Test
  void consumersAndTakesWaitInOneFifo(VertxTestContext ctx) {
    Future.all(inbox("first"), inbox("third"))
        .compose(inboxes -> {
          ConsumerInbox first = inboxes.resultAt(0);
          ConsumerInbox third = inboxes.resultAt(1);
          return requests.create("jobs", 10)
              .compose(v -> consume("jobs", "first", 5))
              .compose(v -> {
                Future<Message<Object>> second = requests.channel("jobs", "take").timeout(WAIT).send();
                return requests.status("jobs")
                    .map(status -> assertThat(status.getInteger("takers")).isEqualTo(2))
                    .compose(v2 -> consume("jobs", "third", 5))
                    .compose(v2 -> requests.status("jobs"))
                    .map(status -> assertThat(status.getInteger("takers")).isEqualTo(3))
                    .compose(v2 -> requests.put("jobs", "a"))
                    .compose(v2 -> requests.put("jobs", "b"))
                    .compose(v2 -> requests.put("jobs", "c"))
                    // served, the first consumer waits again, behind the third
                    .compose(v2 -> requests.put("jobs", "d"))
                    .compose(v2 -> Future.all(first.next(), second, third.next(), first.next()));
              });
        })
        .map(all -> assertThat(all.<Message<Object>>list()).extracting(Message::body)
            .containsExactly(array("a"), "b", array("c"), array("d")))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void maxWaitersCountsEveryConsumerOnce(VertxTestContext ctx) {
    HostRequests limited = new HostRequests(vertx, "limited");
    deploy(new JsonObject().put("address", "limited").put("limits", new JsonObject().put("maxWaiters", 3)))
        .compose(v -> limited.create("jobs", 10))
        .compose(v -> consumeAt(limited, "jobs", "waiting", 5))
        .compose(v -> consumeAt(limited, "jobs", "without-credit", 0))
        .compose(v -> {
          // two consumers, one of them waiting in the channel: one more waiter fits
          Future<Message<Object>> take = limited.channel("jobs", "take").timeout(WAIT).send();
          return limited.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isEqualTo(2))
              .compose(v2 -> refused(consumeAt(limited, "jobs", "fourth", 0), OVERLOADED, "OVERLOADED"))
              .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("maxWaiters"))
              .compose(v2 -> refused(limited.channel("jobs", "take").timeout(WAIT).send(), OVERLOADED, "OVERLOADED"))
              .compose(v2 -> cancelAt(limited, "jobs", "without-credit"))
              .compose(v2 -> consumeAt(limited, "jobs", "fourth", 0))
              .map(take);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // helpers

  private Future<Void> deploy(JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config)).mapEmpty();
  }

  private Future<ConsumerInbox> inbox(String address) {
    return ConsumerInbox.open(vertx, address);
  }

  private Future<JsonObject> consume(String name, String address, int credit) {
    return consumeAt(requests, name, address, credit);
  }

  private static Future<JsonObject> consumeAt(HostRequests host, String name, String address, int credit) {
    return host.channel(name, "consume").body(new JsonObject().put("address", address).put("credit", credit)).json();
  }

  private Future<Message<Object>> credit(String name, String address, int credit) {
    return requests.channel(name, "credit").body(new JsonObject().put("address", address).put("credit", credit)).send();
  }

  private Future<JsonObject> cancel(String name, String address) {
    return cancelAt(requests, name, address);
  }

  private static Future<JsonObject> cancelAt(HostRequests host, String name, String address) {
    return host.channel(name, "cancel").body(new JsonObject().put("address", address)).json();
  }

  private static JsonArray array(Object... items) {
    return new JsonArray(new ArrayList<>(List.of(items)));
  }

  private Future<Void> observationWindow() {
    return requests.list().compose(v -> vertx.timer(OBSERVATION_MS)).mapEmpty();
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
