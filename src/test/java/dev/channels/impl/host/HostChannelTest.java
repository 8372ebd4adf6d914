package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.CLOSED;
import static dev.channels.impl.host.HostRequests.CONFLICT;
import static dev.channels.impl.host.HostRequests.EMPTY;
import static dev.channels.impl.host.HostRequests.FULL;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Channels served over the event bus: create, the round trip of items and their headers, full,
 * empty and closed, waiters, rendezvous and the status counters. Deadlines, join and delete, and
 * limits have their own classes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostChannelTest {

  /** Long enough that a waiting request is still waiting when the test acts on it. */
  private static final long WAIT = 5_000;

  private HostRequests requests;

  @BeforeEach
  void deployHost(Vertx vertx, VertxTestContext ctx) {
    requests = new HostRequests(vertx);
    vertx.deployVerticle(new ChannelHostVerticle()).onComplete(ctx.succeedingThenComplete());
  }

  // create

  @Test
  void createRepliesWithTheStatusOfTheNewChannel(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 5)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void createWithoutOrWithNullCapacityMakesAnUnboundedChannelWhoseCapacityIsJsonNull(VertxTestContext ctx) {
    requests.create("absent")
        .map(status -> {
          assertThat(status).isEqualTo(freshStatus("absent", null));
          assertThat(status.containsKey("capacity")).as("capacity is present, as JSON null").isTrue();
          assertThat(status.getValue("capacity")).isNull();
          return status;
        })
        .compose(v -> requests.registry("create").body(new JsonObject().put("name", "nulled").putNull("capacity")).json())
        .map(status -> assertThat(status).isEqualTo(freshStatus("nulled", null)))
        .compose(v -> requests.putAll("absent", IntStream.range(0, 1_000).boxed().toArray()))
        .compose(v -> requests.status("absent"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("absent", null).put("size", 1_000).put("put", 1_000L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void createWithCapacityZeroMakesARendezvousChannelThatBuffersNothing(VertxTestContext ctx) {
    requests.create("meet", 0)
        .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0)))
        .compose(v -> refused(requests.channel("meet", "offer").body("x").send(), FULL, "FULL"))
        .compose(v -> requests.status("meet"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void createOfAnExistingNameWithTheSameCapacityRepliesItsCurrentStatusEvenWhenFinished(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.create("jobs", 2))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2).put("size", 1).put("put", 1L)))
        .compose(v -> requests.close("jobs"))
        .compose(v -> requests.take("jobs"))
        .compose(v -> requests.create("jobs", 2))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2)
            .put("closed", true).put("finished", true).put("put", 1L).put("taken", 1L)))
        .compose(v -> requests.create("endless"))
        .compose(v -> requests.create("endless"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("endless", null)))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels")).hasSize(2))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void createOfAnExistingNameWithAnotherCapacityFailsConflictAndChangesNothing(VertxTestContext ctx) {
    JsonObject jobs = freshStatus("jobs", 2).put("size", 1).put("put", 1L);
    requests.create("jobs", 2)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> refused(requests.create("jobs", 3), CONFLICT, "CONFLICT"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'"))
        .compose(v -> refused(requests.create("jobs", 0), CONFLICT, "CONFLICT"))
        .compose(v -> refused(requests.create("jobs"), CONFLICT, "CONFLICT"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(jobs))
        .compose(v -> requests.create("endless"))
        .compose(v -> refused(requests.create("endless", 5), CONFLICT, "CONFLICT"))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels"))
            .containsExactlyInAnyOrder(jobs, freshStatus("endless", null)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutSentAsSoonAsCreateRepliesNeverSeesNoHandlers(VertxTestContext ctx) {
    List<Future<Void>> puts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String name = "fresh-" + i;
      puts.add(requests.create(name, 1).compose(status -> requests.put(name, "first")));
    }
    Future.all(puts)
        .compose(v -> requests.list())
        .map(list -> {
          assertThat(list.getJsonArray("channels")).hasSize(200);
          list.getJsonArray("channels").forEach(status -> assertThat(((JsonObject) status).getInteger("size")).isOne());
          return list;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  // items

  static Stream<Named<Object>> items() {
    return Stream.of(
        Named.of("a JsonObject", new JsonObject().put("id", 7).put("tags", new JsonArray().add("a").add(true))),
        Named.of("a JsonArray", new JsonArray().add(1).add("two").addNull().add(new JsonObject().put("x", 3.5))),
        Named.of("a String", "héllo, wörld"),
        Named.of("an empty String", ""),
        Named.of("a Buffer", Buffer.buffer(new byte[] {0, 1, 2, (byte) 255})),
        Named.of("an Integer", 42),
        Named.of("a small Long", 7L),
        Named.of("a large Long", Long.MAX_VALUE),
        Named.of("a Double", 2.5),
        Named.of("a Float", 1.25f),
        Named.of("a Short", (short) -3),
        Named.of("a Byte", (byte) 9),
        Named.of("a Character", 'c'),
        Named.of("the Boolean true", true),
        Named.of("the Boolean false", false));
  }

  @ParameterizedTest(name = "{0} comes back from take, poll and a waiting take with its type and value")
  @MethodSource("items")
  void anItemComesBackExactlyAsPut(Object item, VertxTestContext ctx) {
    requests.create("items", 10)
        .compose(v -> requests.put("items", item))
        .compose(v -> requests.take("items"))
        .map(taken -> assertThat(taken).isInstanceOf(item.getClass()).isEqualTo(item))
        .compose(v -> requests.put("items", item))
        .compose(v -> requests.channel("items", "poll").send())
        .map(polled -> assertThat(polled.body()).isInstanceOf(item.getClass()).isEqualTo(item))
        .compose(v -> {
          Future<Message<Object>> waiting = requests.channel("items", "take").timeout(WAIT).send();
          return requests.put("items", item).compose(put -> waiting);
        })
        .map(handedOver -> assertThat(handedOver.body()).isInstanceOf(item.getClass()).isEqualTo(item))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPutRepliesWithANullBodyOnceItsItemIsBuffered(VertxTestContext ctx) {
    requests.create("jobs", 1)
        .compose(v -> requests.channel("jobs", "put").body("a").send())
        .map(reply -> {
          assertThat(reply.body()).isNull();
          return reply;
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 1).put("size", 1).put("put", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void itemsLeaveInTheOrderTheyWerePut(VertxTestContext ctx) {
    Object[] items = IntStream.range(0, 50).boxed().toArray();
    List<Object> taken = new ArrayList<>();
    Future<Void> takes = requests.create("fifo", 50).compose(v -> requests.putAll("fifo", items));
    for (int i = 0; i < items.length; i++) {
      takes = takes.compose(v -> requests.take("fifo").map(item -> {
        taken.add(item);
        return null;
      }));
    }
    takes.map(v -> assertThat(taken).containsExactly(items)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void waitingTakersAreServedOldestFirst(VertxTestContext ctx) {
    requests.create("fifo", 10)
        .compose(v -> {
          List<Future<Object>> takers = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            takers.add(requests.channel("fifo", "take").timeout(WAIT).send().map(Message::body));
          }
          return requests.status("fifo")
              .map(status -> assertThat(status).isEqualTo(freshStatus("fifo", 10).put("takers", 5)))
              .compose(v2 -> requests.putAll("fifo", "a", "b", "c", "d", "e"))
              .compose(v2 -> Future.all(takers))
              .map(all -> assertThat(all.<Object>list()).containsExactly("a", "b", "c", "d", "e"));
        })
        .compose(v -> requests.status("fifo"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("fifo", 10).put("put", 5L).put("taken", 5L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void waitingPuttersAreAdmittedOldestFirstAndNobodyBargesIntoAFreedSlot(VertxTestContext ctx) {
    List<Object> taken = new ArrayList<>();
    requests.create("fifo", 1)
        .compose(v -> requests.put("fifo", "a"))
        .compose(v -> {
          Future<Message<Object>> b = requests.channel("fifo", "put").timeout(WAIT).body("b").send();
          Future<Message<Object>> c = requests.channel("fifo", "put").timeout(WAIT).body("c").send();
          return requests.status("fifo")
              .map(status -> assertThat(status).isEqualTo(freshStatus("fifo", 1).put("size", 1).put("putters", 2)
                  .put("put", 1L)))
              .compose(v2 -> requests.take("fifo")).map(taken::add)
              // the slot "a" freed went to "b" at once: a newcomer's offer finds the channel full
              .compose(v2 -> refused(requests.channel("fifo", "offer").body("z").send(), FULL, "FULL"))
              .compose(v2 -> b)
              .compose(v2 -> requests.take("fifo")).map(taken::add)
              .compose(v2 -> c)
              .compose(v2 -> requests.take("fifo")).map(taken::add);
        })
        .map(v -> assertThat(taken).containsExactly("a", "b", "c"))
        .compose(v -> requests.status("fifo"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("fifo", 1).put("put", 3L).put("taken", 3L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // headers travelling with items

  @Test
  void theHeadersOfAPutOtherThanActionAndTimeoutComeBackOnTakeAndPoll(VertxTestContext ctx) {
    requests.create("traced", 10)
        .compose(v -> requests.channel("traced", "put").timeout(0).header("trace", "t-1").header("tag", "x", "y")
            .body("first").send())
        .compose(v -> requests.channel("traced", "put").header("trace", "t-2").body("second").send())
        .compose(v -> requests.channel("traced", "take").timeout(0).send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo("first");
          assertThat(reply.headers().get("trace")).isEqualTo("t-1");
          assertThat(reply.headers().getAll("tag")).containsExactly("x", "y");
          assertThat(reply.headers().names()).containsExactlyInAnyOrder("trace", "tag");
          return reply;
        })
        .compose(v -> requests.channel("traced", "poll").send())
        .map(reply -> {
          assertThat(reply.body()).isEqualTo("second");
          assertThat(reply.headers().names()).containsExactly("trace");
          assertThat(reply.headers().getAll("trace")).containsExactly("t-2");
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theHeadersOfAPutComeBackOnAHandOverToAWaitingTakerAndAtRendezvous(VertxTestContext ctx) {
    requests.create("traced", 10)
        .compose(v -> {
          Future<Message<Object>> taker = requests.channel("traced", "take").timeout(WAIT).send();
          return requests.channel("traced", "offer").header("trace", "handed").header("tag", "1", "2")
              .body("item").send().compose(offered -> taker);
        })
        .map(reply -> {
          assertThat(reply.headers().get("trace")).isEqualTo("handed");
          assertThat(reply.headers().getAll("tag")).containsExactly("1", "2");
          return reply;
        })
        .compose(v -> requests.create("meet", 0))
        .compose(v -> {
          Future<Message<Object>> putter = requests.channel("meet", "put").timeout(WAIT).header("trace", "met")
              .body("item").send();
          return requests.channel("meet", "poll").send().compose(reply -> putter.map(reply));
        })
        .map(reply -> {
          assertThat(reply.body()).isEqualTo("item");
          assertThat(reply.headers().names()).containsExactly("trace");
          assertThat(reply.headers().get("trace")).isEqualTo("met");
          return reply;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anItemPutWithOnlyActionAndTimeoutComesBackWithoutHeaders(VertxTestContext ctx) {
    requests.create("plain", 10)
        .compose(v -> requests.put("plain", "item"))
        .compose(v -> requests.channel("plain", "take").send())
        .map(reply -> assertThat(reply.headers().isEmpty()).isTrue())
        .onComplete(ctx.succeedingThenComplete());
  }

  // full, empty, closed

  @Test
  void offerOnAFullChannelFailsFullAndItsItemNeverEnters(VertxTestContext ctx) {
    JsonObject full = freshStatus("jobs", 1).put("size", 1).put("put", 1L);
    requests.create("jobs", 1)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> refused(requests.channel("jobs", "offer").body("b").send(), FULL, "FULL"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(full))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> refused(requests.channel("jobs", "poll").send(), EMPTY, "EMPTY"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void offerOnARendezvousChannelHandsOverToAWaitingTakerOnly(VertxTestContext ctx) {
    requests.create("meet", 0)
        .compose(v -> refused(requests.channel("meet", "offer").body("early").send(), FULL, "FULL"))
        .compose(v -> {
          Future<Message<Object>> taker = requests.channel("meet", "take").timeout(WAIT).send();
          return requests.channel("meet", "offer").body("x").send().compose(offered -> taker);
        })
        .map(reply -> assertThat(reply.body()).isEqualTo("x"))
        .compose(v -> requests.status("meet"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0).put("put", 1L).put("taken", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void pollOnAnEmptyOpenChannelFailsEmptyAndChangesNothing(VertxTestContext ctx) {
    requests.create("jobs", 3)
        .compose(v -> refused(requests.channel("jobs", "poll").send(), EMPTY, "EMPTY"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 3)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void pollOnARendezvousChannelTakesFromAWaitingPutterOnly(VertxTestContext ctx) {
    requests.create("meet", 0)
        .compose(v -> refused(requests.channel("meet", "poll").send(), EMPTY, "EMPTY"))
        .compose(v -> {
          Future<Message<Object>> putter = requests.channel("meet", "put").timeout(WAIT).body("x").send();
          return requests.channel("meet", "poll").send().compose(polled -> putter.map(polled));
        })
        .map(polled -> assertThat(polled.body()).isEqualTo("x"))
        .compose(v -> refused(requests.channel("meet", "poll").send(), EMPTY, "EMPTY"))
        .compose(v -> requests.status("meet"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0).put("put", 1L).put("taken", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void putAndOfferOnAClosedChannelFailClosedEvenWhenItIsFull(VertxTestContext ctx) {
    JsonObject closedFull = freshStatus("jobs", 1).put("size", 1).put("closed", true).put("put", 1L);
    requests.create("jobs", 1)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.close("jobs"))
        .map(status -> assertThat(status).isEqualTo(closedFull))
        .compose(v -> refused(requests.channel("jobs", "put").timeout(WAIT).body("b").send(), CLOSED, "CLOSED"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'"))
        .compose(v -> refused(requests.channel("jobs", "put").timeout(0).body("b").send(), CLOSED, "CLOSED"))
        .compose(v -> refused(requests.channel("jobs", "offer").body("b").send(), CLOSED, "CLOSED"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(closedFull))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void putOnAClosedEmptyChannelFailsClosed(VertxTestContext ctx) {
    requests.create("jobs", 5)
        .compose(v -> requests.close("jobs"))
        .compose(v -> refused(requests.channel("jobs", "put").body("b").send(), CLOSED, "CLOSED"))
        .compose(v -> refused(requests.channel("jobs", "offer").body("b").send(), CLOSED, "CLOSED"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void takeAndPollDrainAClosedChannelThenFailClosed(VertxTestContext ctx) {
    requests.create("jobs", 3)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.close("jobs"))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("a"))
        .compose(v -> requests.channel("jobs", "poll").send())
        .map(reply -> assertThat(reply.body()).isEqualTo("b"))
        .compose(v -> refused(requests.channel("jobs", "take").timeout(WAIT).send(), CLOSED, "CLOSED"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'"))
        .compose(v -> refused(requests.channel("jobs", "take").timeout(0).send(), CLOSED, "CLOSED"))
        .compose(v -> refused(requests.channel("jobs", "poll").send(), CLOSED, "CLOSED"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 3)
            .put("closed", true).put("finished", true).put("put", 2L).put("taken", 2L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void closeRepliesTheStatusAndIsIdempotent(VertxTestContext ctx) {
    JsonObject closed = freshStatus("jobs", 3).put("size", 1).put("closed", true).put("put", 1L);
    requests.create("jobs", 3)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.close("jobs"))
        .map(status -> assertThat(status).isEqualTo(closed))
        .compose(v -> requests.close("jobs"))
        .map(status -> assertThat(status).isEqualTo(closed))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void takersWaitingAtCloseFailClosedEvenWhenCloseIsSentTwice(VertxTestContext ctx) {
    requests.create("jobs", 3)
        .compose(v -> {
          List<Future<?>> takers = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            takers.add(refused(requests.channel("jobs", "take").timeout(WAIT).send(), CLOSED, "CLOSED"));
          }
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isEqualTo(20))
              .compose(v2 -> {
                Future<JsonObject> first = requests.close("jobs");
                Future<JsonObject> second = requests.close("jobs");
                return Future.all(first, second);
              })
              .compose(v2 -> Future.all(takers));
        })
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 3).put("closed", true).put("finished", true)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void puttersWaitingAtCloseFailClosedAndTheirItemsNeverAppear(VertxTestContext ctx) {
    requests.create("jobs", 1)
        .compose(v -> requests.put("jobs", "kept"))
        .compose(v -> {
          List<Future<?>> putters = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            putters.add(refused(requests.channel("jobs", "put").timeout(WAIT).body("lost-" + i).send(),
                CLOSED, "CLOSED"));
          }
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("putters")).isEqualTo(20))
              .compose(v2 -> requests.close("jobs"))
              .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 1)
                  .put("size", 1).put("closed", true).put("put", 1L)))
              .compose(v2 -> Future.all(putters));
        })
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("kept"))
        .compose(v -> refused(requests.channel("jobs", "take").send(), CLOSED, "CLOSED"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 1)
            .put("closed", true).put("finished", true).put("put", 1L).put("taken", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // rendezvous and counters

  @Test
  void aRendezvousPutRepliesOnlyOnceATakerHasTheItem(VertxTestContext ctx) {
    requests.create("meet", 0)
        .compose(v -> {
          Future<Message<Object>> putter = requests.channel("meet", "put").timeout(WAIT).body("x").send();
          return requests.status("meet")
              .map(status -> {
                assertThat(status).isEqualTo(freshStatus("meet", 0).put("putters", 1));
                assertThat(putter.isComplete()).as("put replied before any take").isFalse();
                return status;
              })
              .compose(v2 -> requests.take("meet"))
              .map(item -> assertThat(item).isEqualTo("x"))
              .compose(v2 -> putter)
              .map(reply -> {
                assertThat(reply.body()).as("a put's reply has no body").isNull();
                return reply;
              });
        })
        .compose(v -> requests.status("meet"))
        .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0).put("put", 1L).put("taken", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRendezvousTakeWaitsForAPutter(VertxTestContext ctx) {
    requests.create("meet", 0)
        .compose(v -> {
          Future<Message<Object>> taker = requests.channel("meet", "take").timeout(WAIT).send();
          return requests.status("meet")
              .map(status -> assertThat(status).isEqualTo(freshStatus("meet", 0).put("takers", 1)))
              .compose(v2 -> requests.put("meet", "x"))
              .compose(v2 -> taker)
              .map(reply -> assertThat(reply.body()).isEqualTo("x"));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void statusCountsSizeWaitersAndItemsPutAndTaken(VertxTestContext ctx) {
    JsonObject fresh = freshStatus("jobs", 2);
    List<Future<Message<Object>>> waiting = new ArrayList<>();
    requests.create("jobs", 2)
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> {
          waiting.add(requests.channel("jobs", "put").timeout(WAIT).body("c").send());
          return requests.status("jobs");
        })
        .map(status -> assertThat(status).isEqualTo(fresh.copy().put("size", 2).put("putters", 1).put("put", 2L)))
        .compose(v -> requests.take("jobs"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(fresh.copy().put("size", 2).put("put", 3L).put("taken", 1L)))
        .compose(v -> requests.take("jobs"))
        .compose(v -> requests.take("jobs"))
        .compose(v -> {
          waiting.add(requests.channel("jobs", "take").timeout(WAIT).send());
          waiting.add(requests.channel("jobs", "take").timeout(WAIT).send());
          return requests.status("jobs");
        })
        .map(status -> assertThat(status).isEqualTo(fresh.copy().put("takers", 2).put("put", 3L).put("taken", 3L)))
        .compose(v -> requests.put("jobs", "d"))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(fresh.copy().put("takers", 1).put("put", 4L).put("taken", 4L)))
        .compose(v -> refused(requests.channel("jobs", "poll").send(), EMPTY, "EMPTY"))
        .compose(v -> requests.close("jobs"))
        .map(status -> assertThat(status).isEqualTo(fresh.copy()
            .put("closed", true).put("finished", true).put("put", 4L).put("taken", 4L)))
        .compose(v -> refused(requests.channel("jobs", "put").body("e").send(), CLOSED, "CLOSED"))
        .compose(v -> refused(waiting.get(2), CLOSED, "CLOSED"))
        .compose(v -> Future.all(waiting.get(0), waiting.get(1)))
        .compose(v -> requests.status("jobs"))
        .map(status -> assertThat(status).isEqualTo(fresh.copy()
            .put("closed", true).put("finished", true).put("put", 4L).put("taken", 4L)))
        .onComplete(ctx.succeedingThenComplete());
  }
}
