package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.BAD_REQUEST;
import static dev.channels.impl.host.HostRequests.CLOSED;
import static dev.channels.impl.host.HostRequests.EMPTY;
import static dev.channels.impl.host.HostRequests.OVERLOADED;
import static dev.channels.impl.host.HostRequests.TIMEOUT;
import static dev.channels.impl.host.HostRequests.assertDeliveryHeaders;
import static dev.channels.impl.host.HostRequests.assertNoDeliveryHeaders;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import dev.channels.impl.protocol.Items;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batches: {@code put-all} enqueues an array of items in order, waiting for room as a put would,
 * and says how many it enqueued and why it stopped early; a {@code take} or {@code poll} with
 * {@code max} answers with up to that many items as a JSON array, one delivery when acknowledged.
 */
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostBatchTest extends HostTestBase {

  /** Long enough that a waiting request is still waiting when the test acts on it. */
  private static final long WAIT = 5_000;
  /** How long to keep watching for an event that must not come, after a round trip to the host. */
  private static final long OBSERVATION_MS = 150;


  // put-all: validation

  static Stream<Named<Object>> notArraysOfItems() {
    return Stream.of(
        Named.of("no body", null),
        Named.of("a JSON object", new JsonObject().put("items", new JsonArray().add(1))),
        Named.of("a string", "[1, 2]"),
        Named.of("an array with a null item", new JsonArray().add("a").addNull().add("c")),
        Named.of("an array with a BigDecimal item", array("a", new BigDecimal("1.5"))),
        Named.of("an array of 10001 items", array(IntStream.range(0, 10_001).boxed().toArray())));
  }

  @ParameterizedTest(name = "put-all with {0} is refused 400 and enqueues nothing")
  @MethodSource("notArraysOfItems")
  void aPutAllOfAnythingButAnArrayOfAtMost10000ItemsIsRefusedAndEnqueuesNothing(Object body, VertxTestContext ctx) {
    requests.create("jobs")
        .compose(v -> refused(putAll("jobs", body).send(), BAD_REQUEST, "BAD_REQUEST"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("put-all"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aNullItemIsRefusedNamingItsIndex(VertxTestContext ctx) {
    requests.create("jobs")
        .compose(v -> refused(putAll("jobs", new JsonArray().add("a").add("b").addNull()).send(),
            BAD_REQUEST, "BAD_REQUEST"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("item 2"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllOf10000ItemsIsAccepted(VertxTestContext ctx) {
    requests.create("jobs")
        .compose(v -> putAll("jobs", array(IntStream.range(0, 10_000).boxed().toArray())).json())
        .map(reply -> assertThat(reply).isEqualTo(enqueued(10_000)))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null).put("size", 10_000).put("put", 10_000L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // put-all: enqueueing

  @Test
  void anEmptyPutAllEnqueuesNothingAndSaysSo(VertxTestContext ctx) {
    requests.create("jobs", 1)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> putAll("jobs", new JsonArray()).timeout(0).json())
        .map(reply -> assertThat(reply).as("even on a full channel").isEqualTo(enqueued(0)))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 1).put("size", 1).put("put", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllEnqueuesItsItemsInOrderAndRepliesHowManyItEnqueued(VertxTestContext ctx) {
    Object[] items = {1, "two", new JsonObject().put("three", 3), new JsonArray().add(4), 5.5, true};
    requests.create("jobs", 10)
        .compose(v -> putAll("jobs", array(items)).json())
        .map(reply -> assertThat(reply).isEqualTo(enqueued(6)))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 6).put("put", 6L)))
        .compose(v -> takeEach("jobs", 6))
        .map(taken -> assertThat(taken).extracting(Message::body).containsExactly(items))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void everyItemTypeIsTakenInABatchAsItWasPut(VertxTestContext ctx) {
    // one item of every type, put alone, then a Buffer and a byte[] in a put-all: JSON would turn those into base64 text
    Object[] alone = {"s", new JsonObject().put("k", 1), new JsonArray().add(2), Buffer.buffer("buffer"),
        new byte[] {1, 2}, 3, 4L, (short) 5, (byte) 6, 7.5f, 8.5, true, 'c'};
    Object[] batched = {Buffer.buffer("in a batch"), new byte[] {9}};
    requests.create("jobs")
        .compose(v -> requests.putAll("jobs", alone))
        .compose(v -> putAll("jobs", array(batched)).json())
        .compose(v -> requests.channel("jobs", "take").header("max", "100").timeout(0).send())
        .map(reply -> {
          JsonArray taken = (JsonArray) reply.body();
          List<Object> items = IntStream.range(0, taken.size()).mapToObj(i -> Items.element(taken, i)).toList();
          List<Object> expected = new ArrayList<>(List.of(alone));
          expected.addAll(List.of(batched));
          assertThat(items).extracting(Object::getClass).containsExactlyElementsOf(
              expected.stream().<Class<?>>map(Object::getClass).toList());
          assertThat(items).containsExactlyElementsOf(expected); // arrays compared by content
          return items;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllHandsItsFirstItemsToWaitingTakersAndIsAnsweredBeforeThem(VertxTestContext ctx) {
    List<String> order = new CopyOnWriteArrayList<>();
    // one context receives everything, so what the host sends arrives in the order it was sent
    vertx.getOrCreateContext().runOnContext(start -> requests.create("jobs", 5)
        .compose(v -> {
          Future<Message<Object>> first = requests.channel("jobs", "take").timeout(WAIT).send()
              .onSuccess(reply -> order.add("take " + reply.body()));
          Future<Message<Object>> second = requests.channel("jobs", "take").timeout(WAIT).send()
              .onSuccess(reply -> order.add("take " + reply.body()));
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isEqualTo(2))
              .compose(v2 -> putAll("jobs", array("a", "b", "c")).json())
              .map(reply -> {
                order.add("put-all " + reply.encode());
                return reply;
              })
              .compose(v2 -> Future.all(first, second));
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> {
          assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 1).put("put", 3L).put("taken", 2L));
          return assertThat(order).containsExactly("put-all {\"enqueued\":3}", "take a", "take b");
        })
        .onComplete(ctx.succeedingThenComplete()));
  }

  @Test
  void aPutAllOnAFullChannelWaitsForRoomItemByItem(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> {
          Future<JsonObject> putAll = putAll("jobs", array(1, 2, 3, 4, 5)).timeout(WAIT).json();
          return requests.status("jobs")
              .map(status -> assertThat(status).as("two buffered, the third waits: one waiter")
                  .isEqualTo(freshStatus("jobs", 2).put("size", 2).put("putters", 1).put("put", 2L)))
              .compose(v2 -> takeWaiting("jobs", 5))
              .map(taken -> assertThat(taken).extracting(Message::body).containsExactly(1, 2, 3, 4, 5))
              .compose(v2 -> putAll);
        })
        .map(reply -> assertThat(reply).isEqualTo(enqueued(5)))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2).put("put", 5L).put("taken", 5L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void otherPuttersMayInterleaveBetweenTheItemsOfAPutAllButNeverReorderThem(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> {
          Future<JsonObject> putAll = putAll("jobs", array("a1", "a2", "a3", "a4")).timeout(WAIT).json();
          Future<Message<Object>> put = requests.channel("jobs", "put").timeout(WAIT).body("p").send();
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("putters")).isEqualTo(2))
              .compose(v2 -> takeEach("jobs", 5))
              .map(taken -> assertThat(taken).extracting(Message::body).containsExactly("a1", "a2", "a3", "p", "a4"))
              .compose(v2 -> Future.all(putAll, put))
              .map(both -> assertThat(putAll.result()).isEqualTo(enqueued(4)));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllOnARendezvousChannelHandsEachItemToATaker(VertxTestContext ctx) {
    requests.create("meet", 0)
        .compose(v -> {
          Future<JsonObject> putAll = putAll("meet", array("a", "b")).timeout(WAIT).json();
          return requests.status("meet")
              .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0).put("putters", 1)))
              .compose(v2 -> takeEach("meet", 2))
              .map(taken -> assertThat(taken).extracting(Message::body).containsExactly("a", "b"))
              .compose(v2 -> putAll);
        })
        .map(reply -> assertThat(reply).isEqualTo(enqueued(2)))
        .compose(v -> requests.status("meet"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0).put("put", 2L).put("taken", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theExtraHeadersOfAPutAllTravelWithEveryItem(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> putAll("jobs", array("a", "b")).header("trace", "t-1").header("tag", "x", "y").json())
        .compose(v -> takeEach("jobs", 2))
        .map(taken -> {
          assertThat(taken).extracting(Message::body).containsExactly("a", "b");
          for (Message<Object> item : taken) {
            assertThat(item.headers().names()).containsExactlyInAnyOrder("trace", "tag");
            assertThat(item.headers().getAll("trace")).containsExactly("t-1");
            assertThat(item.headers().getAll("tag")).containsExactly("x", "y");
          }
          return taken;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // put-all: stopping early

  @Test
  void aPutAllOnAClosedChannelFailsClosedEvenWhenEmpty(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.close("jobs"))
        .compose(v -> refused(putAll("jobs", array("a")).send(), CLOSED, "CLOSED"))
        .compose(v -> refused(putAll("jobs", new JsonArray()).send(), CLOSED, "CLOSED"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("closed", true).put("finished", true)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllClosedMidwayRepliesWhatItEnqueuedAndStoppedClosed(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> {
          Future<JsonObject> putAll = putAll("jobs", array(1, 2, 3, 4, 5)).timeout(WAIT).json();
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("putters")).isOne())
              .compose(v2 -> requests.close("jobs"))
              .compose(v2 -> putAll);
        })
        .map(reply -> assertThat(reply).isEqualTo(stopped(2, "closed")))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2).put("closed", true).put("size", 2).put("put", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllThatEnqueuedNothingBeforeCloseFailsClosed(VertxTestContext ctx) {
    requests.create("jobs", 1)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> {
          Future<?> putAll = refused(putAll("jobs", array("b", "c")).timeout(WAIT).send(), CLOSED, "CLOSED");
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("putters")).isOne())
              .compose(v2 -> requests.close("jobs"))
              .compose(v2 -> putAll);
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 1).put("closed", true).put("size", 1).put("put", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllWaitingWhenItsChannelIsDeletedFailsClosed(VertxTestContext ctx) {
    requests.create("jobs", 1)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> {
          Future<?> putAll = refused(putAll("jobs", array("b", "c")).timeout(WAIT).send(), CLOSED, "CLOSED");
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("putters")).isOne())
              .compose(v2 -> requests.delete("jobs"))
              .map(deleted -> assertThat(deleted.getInteger("discarded")).isOne())
              .compose(v2 -> putAll);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllPastItsDeadlineMidwayRepliesWhatItEnqueuedAndStoppedTimeout(VertxTestContext ctx) {
    long start = System.nanoTime();
    requests.create("jobs", 2)
        .compose(v -> putAll("jobs", array(1, 2, 3, 4, 5)).timeout(200).json())
        .map(reply -> {
          assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(200);
          return assertThat(reply).isEqualTo(stopped(2, "timeout"));
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).as("the waiting item left no trace")
            .isEqualTo(freshStatus("jobs", 2).put("size", 2).put("put", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theDeadlineOfAPutAllCountsFromWhenItFirstHasToWaitAndDoesNotRestart(VertxTestContext ctx) {
    long timeoutMs = 400;
    long[] firstWait = new long[1];
    requests.create("jobs", 2)
        .compose(v -> requests.put("jobs", 0))
        .compose(v -> {
          firstWait[0] = System.nanoTime();
          Future<JsonObject> putAll = putAll("jobs", array(1, 2, 3)).timeout(timeoutMs).json();
          // 1 fits, 2 waits; room for one more item after a while: 2 is admitted, 3 waits again
          return vertx.timer(timeoutMs / 2)
              .compose(v2 -> requests.take("jobs"))
              .compose(v2 -> putAll);
        })
        .map(reply -> {
          assertThat(elapsedMs(firstWait[0])).as("stopped at the first deadline, not one restarted by the second wait")
              .isGreaterThanOrEqualTo(timeoutMs).isLessThan(timeoutMs / 2 + timeoutMs);
          return assertThat(reply).isEqualTo(stopped(2, "timeout"));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllThatMayNotWaitOnAFullChannelFailsTimeoutAndEnqueuesNothing(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> refused(putAll("jobs", array("c", "d")).timeout(0).send(), TIMEOUT, "TIMEOUT"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2).put("size", 2).put("put", 2L)))
        .compose(v -> requests.take("jobs"))
        .compose(v -> putAll("jobs", array("c", "d")).timeout(0).json())
        .map(reply -> assertThat(reply).isEqualTo(stopped(1, "timeout")))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllBeyondMaxQueuedItemsStopsOverloadedOrFailsOverloadedWhenItEnqueuedNothing(VertxTestContext ctx) {
    HostRequests limited = new HostRequests(vertx, "limited");
    deploy(new JsonObject().put("address", "limited").put("limits", new JsonObject().put("maxQueuedItems", 3)))
        .compose(v -> limited.create("jobs"))
        .compose(v -> limited.create("other"))
        .compose(v -> limited.put("other", "x"))
        .compose(v -> putAllTo(limited, "jobs", array(1, 2, 3, 4, 5)).json())
        .map(reply -> assertThat(reply).as("the host holds x too").isEqualTo(stopped(2, "overloaded")))
        .compose(v -> refused(putAllTo(limited, "jobs", array(6)).send(), OVERLOADED, "OVERLOADED"))
        .compose(v -> limited.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", null).put("size", 2).put("put", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutAllThatWouldWaitBeyondMaxWaitersStopsOverloadedOrFailsOverloadedWhenItEnqueuedNothing(
      VertxTestContext ctx) {
    HostRequests limited = new HostRequests(vertx, "limited");
    deploy(new JsonObject().put("address", "limited").put("limits", new JsonObject().put("maxWaiters", 0)))
        .compose(v -> limited.create("jobs", 1))
        .compose(v -> putAllTo(limited, "jobs", array("a", "b")).timeout(WAIT).json())
        .map(reply -> assertThat(reply).isEqualTo(stopped(1, "overloaded")))
        .compose(v -> refused(putAllTo(limited, "jobs", array("c")).timeout(WAIT).send(), OVERLOADED, "OVERLOADED"))
        .compose(v -> limited.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 1).put("size", 1).put("put", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // take and poll with max

  static Stream<List<String>> malformedMaxHeaders() {
    return Stream.of(List.of("0"), List.of("10001"), List.of("x"), List.of(""), List.of("-1"), List.of("2.5"),
        List.of("99999999999"), List.of("2", "2"));
  }

  @ParameterizedTest(name = "max {0} is refused 400 on take and poll, and changes nothing")
  @MethodSource("malformedMaxHeaders")
  void aMaxHeaderOtherThanOneIntegerFrom1To10000IsRefusedAndChangesNothing(List<String> values, VertxTestContext ctx) {
    String[] max = values.toArray(String[]::new);
    requests.create("jobs", 5)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> refused(requests.channel("jobs", "take").header("max", max).timeout(0).send(),
            BAD_REQUEST, "BAD_REQUEST"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'").contains("'max'"))
        .compose(v -> refused(requests.channel("jobs", "poll").header("max", max).send(), BAD_REQUEST, "BAD_REQUEST"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5).put("size", 2).put("put", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTakeWithMaxRepliesUpToMaxAvailableItemsAsAnArray(VertxTestContext ctx) {
    requests.create("jobs", 10)
        .compose(v -> requests.putAll("jobs", "a", "b", "c", "d", "e"))
        .compose(v -> requests.channel("jobs", "take").header("max", "3").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("a", "b", "c"));
          assertNoDeliveryHeaders(reply);
          return reply;
        })
        .compose(v -> requests.channel("jobs", "poll").header("max", "10000").send())
        .map(reply -> assertThat(reply.body()).isEqualTo(array("d", "e")))
        .compose(v -> requests.put("jobs", "f"))
        .compose(v -> requests.channel("jobs", "take").header("max", "1").timeout(0).send())
        .map(reply -> assertThat(reply.body()).as("max 1: still an array").isEqualTo(array("f")))
        .compose(v -> refused(requests.channel("jobs", "poll").header("max", "5").send(), EMPTY, "EMPTY"))
        .compose(v -> refused(requests.channel("jobs", "take").header("max", "5").timeout(0).send(), TIMEOUT, "TIMEOUT"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("put", 6L).put("taken", 6L)))
        .compose(v -> requests.close("jobs"))
        .compose(v -> refused(requests.channel("jobs", "take").header("max", "5").send(), CLOSED, "CLOSED"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTakeWithMaxFreesSlotsForWaitingPuttersInOrder(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> {
          Future<Message<Object>> putC = requests.channel("jobs", "put").timeout(WAIT).body("c").send();
          Future<Message<Object>> putD = requests.channel("jobs", "put").timeout(WAIT).body("d").send();
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("putters")).isEqualTo(2))
              .compose(v2 -> requests.channel("jobs", "take").header("max", "10").timeout(0).send())
              // the putters admitted into freed slots are behind the items already taken
              .map(reply -> assertThat(reply.body()).isEqualTo(array("a", "b", "c", "d")))
              .compose(v2 -> Future.all(putC, putD));
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2).put("put", 4L).put("taken", 4L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aWaitingTakeWithMaxWaitsForTheFirstItemThenIncludesWhateverIsAvailable(VertxTestContext ctx) {
    requests.create("jobs", 10)
        .compose(v -> {
          Future<Message<Object>> single = requests.channel("jobs", "take").header("max", "10").timeout(WAIT).send();
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isOne())
              .compose(v2 -> requests.put("jobs", "a"))
              .compose(v2 -> single);
        })
        .map(reply -> assertThat(reply.body()).isEqualTo(array("a")))
        .compose(v -> {
          Future<Message<Object>> batch = requests.channel("jobs", "take").header("max", "3").timeout(WAIT).send();
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isOne())
              .compose(v2 -> putAll("jobs", array("b", "c", "d", "e")).json())
              .compose(v2 -> batch);
        })
        .map(reply -> assertThat(reply.body()).isEqualTo(array("b", "c", "d")))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 1).put("put", 5L).put("taken", 4L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anItemPutWithHeadersComesAloneWithItsHeaders(VertxTestContext ctx) {
    requests.create("jobs", 10)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.channel("jobs", "put").header("trace", "t-b").body("b").timeout(0).send())
        .compose(v -> requests.put("jobs", "c"))
        .compose(v -> requests.channel("jobs", "take").header("max", "10").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("a"));
          assertThat(reply.headers().isEmpty()).isTrue();
          return reply;
        })
        .compose(v -> requests.channel("jobs", "take").header("max", "10").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("b"));
          assertThat(reply.headers().getAll("trace")).containsExactly("t-b");
          return reply;
        })
        .compose(v -> requests.channel("jobs", "take").header("max", "10").timeout(0).send())
        .map(reply -> assertThat(reply.body()).isEqualTo(array("c")))
        .compose(v -> {
          Future<Message<Object>> waiting = requests.channel("jobs", "take").header("max", "10").timeout(WAIT).send();
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isOne())
              .compose(v2 -> putAll("jobs", array("d", "e")).header("trace", "t-de").json())
              .compose(v2 -> waiting);
        })
        .map(reply -> {
          assertThat(reply.body()).isEqualTo(array("d"));
          assertThat(reply.headers().getAll("trace")).containsExactly("t-de");
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anAcknowledgedBatchIsOneDeliveryAckedAsAUnit(VertxTestContext ctx) {
    requests.create("jobs", 10)
        .compose(v -> requests.putAll("jobs", "a", "b", "c"))
        .compose(v -> requests.channel("jobs", "take").header("max", "2").header("ack", "true").timeout(0).send())
        .compose(batch -> {
          assertThat(batch.body()).isEqualTo(array("a", "b"));
          assertDeliveryHeaders(batch, "1,1", false);
          return requests.status("jobs")
              .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10)
                  .put("size", 1).put("put", 3L).put("inFlight", 2)))
              .map(v -> {
                batch.reply(null);
                return v;
              });
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("size", 1).put("put", 3L).put("taken", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aNackedBatchReturnsAllItsItemsInOrderAheadOfFreshOnesAndCountsEachDelivery(VertxTestContext ctx) {
    requests.create("jobs", 10)
        .compose(v -> requests.putAll("jobs", "a", "b", "c", "d"))
        .compose(v -> requests.channel("jobs", "poll").header("max", "2").header("ack", "true").send())
        .map(batch -> {
          batch.fail(500, "nack");
          return batch;
        })
        .compose(v -> requests.takeWithAck("jobs"))
        .map(a -> {
          assertThat(a.body()).isEqualTo("a");
          assertDeliveryHeaders(a, "2", true);
          a.reply(null);
          return a;
        })
        .compose(v -> requests.channel("jobs", "take").header("max", "10").timeout(0).send())
        .map(rest -> {
          assertThat(rest.body()).isEqualTo(array("b", "c", "d"));
          assertDeliveryHeaders(rest, "2,1,1", true);
          return rest;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 10).put("put", 4L).put("taken", 4L)
            .put("redelivered", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPlainBatchThatTakesTheLastItemsOfAClosedChannelIsAnsweredBeforeTheJoinAndTheJoinedEvent(VertxTestContext ctx) {
    List<String> order = new CopyOnWriteArrayList<>();
    vertx.getOrCreateContext().runOnContext(start -> requests.create("jobs", 10)
        .compose(v -> vertx.eventBus().consumer(requests.joinedAddress("jobs"), event -> order.add("joined event"))
            .completion())
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.channel("jobs", "take").header("max", "2").header("ack", "true").timeout(0).send())
        .compose(inFlight -> {
          Future<Message<Object>> batch = requests.channel("jobs", "take").header("max", "10").timeout(WAIT).send()
              .onSuccess(reply -> order.add("batch " + reply.body()));
          Future<JsonObject> join = requests.channel("jobs", "join").timeout(WAIT).json()
              .onSuccess(status -> order.add("join reply"));
          return requests.close("jobs")
              .compose(v -> requests.status("jobs"))
              .map(status -> assertThat(status.getInteger("takers")).isOne())
              .compose(v -> {
                inFlight.fail(500, "nack"); // a goes to the waiting batch, b back to the buffer, then the batch takes b
                return Future.all(batch, join);
              });
        })
        .compose(v -> observationWindow())
        .map(v -> assertThat(order).containsExactly("batch [\"a\",\"b\"]", "join reply", "joined event"))
        .onComplete(ctx.succeedingThenComplete()));
  }

  // helpers

  private Future<Void> deploy(JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config)).mapEmpty();
  }

  private HostRequests.Request putAll(String name, Object items) {
    return putAllTo(requests, name, items);
  }

  private static HostRequests.Request putAllTo(HostRequests host, String name, Object items) {
    return host.channel(name, "put-all").body(items);
  }

  private static JsonArray array(Object... items) {
    return new JsonArray(new ArrayList<>(List.of(items)));
  }

  private static JsonObject enqueued(int count) {
    return new JsonObject().put("enqueued", count);
  }

  private static JsonObject stopped(int count, String why) {
    return new JsonObject().put("enqueued", count).put("stopped", why);
  }

  /** Takes {@code count} items one after the other, each available at once. */
  private Future<List<Message<Object>>> takeEach(String name, int count) {
    return takeInTurn(name, count, 0);
  }

  /** Takes {@code count} items one after the other, each allowed to wait. */
  private Future<List<Message<Object>>> takeWaiting(String name, int count) {
    return takeInTurn(name, count, WAIT);
  }

  private Future<List<Message<Object>>> takeInTurn(String name, int count, long timeoutMs) {
    List<Message<Object>> replies = new CopyOnWriteArrayList<>();
    Future<Void> done = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      done = done.compose(v -> requests.channel(name, "take").timeout(timeoutMs).send().map(reply -> {
        replies.add(reply);
        return null;
      }));
    }
    return done.map(v -> replies);
  }

  private Future<Void> observationWindow() {
    return requests.list().compose(v -> vertx.timer(OBSERVATION_MS)).mapEmpty();
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
