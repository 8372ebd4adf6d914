package dev.channels.impl.host;

import static dev.channels.impl.host.HostRequests.CLOSED;
import static dev.channels.impl.host.HostRequests.NOT_FOUND;
import static dev.channels.impl.host.HostRequests.freshStatus;
import static dev.channels.impl.host.HostRequests.noHandlers;
import static dev.channels.impl.host.HostRequests.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The end of a channel: join, the joined event published once on {@code <address>.<name>.joined},
 * and delete, which ends a channel without finishing it. And the registry's list.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class HostJoinAndDeleteTest {

  private static final long WAIT = 5_000;
  /** How long to keep watching for an event that must not come, after a round trip to the host. */
  private static final long OBSERVATION_MS = 150;

  private Vertx vertx;
  private HostRequests requests;

  @BeforeEach
  void deployHost(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    requests = new HostRequests(vertx);
    vertx.deployVerticle(new ChannelHostVerticle()).onComplete(ctx.succeedingThenComplete());
  }

  // join

  @Test
  void joinWaitsUntilTheChannelIsClosedAndDrainedThenRepliesItsStatus(VertxTestContext ctx) {
    JsonObject finished = freshStatus("jobs", 2).put("closed", true).put("finished", true)
        .put("put", 1L).put("taken", 1L);
    requests.create("jobs", 2)
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> {
          Future<JsonObject> join = requests.channel("jobs", "join").timeout(WAIT).json();
          Future<JsonObject> secondJoin = requests.channel("jobs", "join").timeout(WAIT).json();
          return requests.close("jobs")
              .compose(v2 -> requests.status("jobs"))
              .map(status -> {
                assertThat(join.isComplete()).as("joined while an item is still buffered").isFalse();
                return status;
              })
              .compose(v2 -> requests.take("jobs"))
              .compose(v2 -> Future.all(join, secondJoin))
              .map(joins -> assertThat(joins.<JsonObject>list()).containsExactly(finished, finished));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void joinRepliesAtOnceWhenTheChannelHasAlreadyFinished(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> requests.close("jobs"))
        .compose(v -> requests.channel("jobs", "join").timeout(0).json())
        .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 2).put("closed", true).put("finished", true)))
        .compose(v -> requests.channel("jobs", "join").json())
        .map(status -> assertThat(status.getBoolean("finished")).isTrue())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theJoinedEventIsPublishedExactlyOnceWithTheFinalCounts(VertxTestContext ctx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    JsonObject finished = freshStatus("jobs", 5).put("closed", true).put("finished", true)
        .put("put", 2L).put("taken", 2L);
    requests.create("jobs", 5)
        .compose(v -> listen(requests.joinedAddress("jobs"), events))
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> requests.close("jobs"))
        .compose(v -> requests.take("jobs"))
        .compose(v -> requests.status("jobs"))
        .map(status -> {
          assertThat(events).as("no event before the channel is drained").isEmpty();
          return status;
        })
        .compose(v -> requests.take("jobs"))
        .compose(v -> requests.channel("jobs", "join").timeout(WAIT).json())
        .map(status -> assertThat(status).isEqualTo(finished))
        // everything that could wrongly publish again
        .compose(v -> requests.close("jobs"))
        .compose(v -> requests.close("jobs"))
        .compose(v -> refused(requests.channel("jobs", "take").send(), CLOSED, "CLOSED"))
        .compose(v -> refused(requests.channel("jobs", "poll").send(), CLOSED, "CLOSED"))
        .compose(v -> refused(requests.channel("jobs", "put").body("c").send(), CLOSED, "CLOSED"))
        .compose(v -> requests.create("jobs", 5))
        .compose(v -> requests.channel("jobs", "join").json())
        .compose(v -> observationWindow())
        .map(v -> assertThat(events).containsExactly(finished))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theLastTakeIsAnsweredBeforeTheWaitingJoinAndTheJoinBeforeTheJoinedEvent(VertxTestContext ctx) {
    List<String> order = new CopyOnWriteArrayList<>();
    // one context receives everything, so what the host sends arrives in the order it was sent
    vertx.getOrCreateContext().runOnContext(start -> requests.create("jobs", 5)
        .compose(v -> vertx.eventBus().consumer(requests.joinedAddress("jobs"), event -> order.add("joined event"))
            .completion())
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> {
          Future<JsonObject> join = requests.channel("jobs", "join").timeout(WAIT).json()
              .onSuccess(status -> order.add("join reply"));
          return requests.close("jobs")
              .compose(closed -> requests.take("jobs").onSuccess(item -> order.add("take reply")))
              .compose(taken -> join);
        })
        .compose(v -> observationWindow())
        .map(v -> assertThat(order).containsExactly("take reply", "join reply", "joined event"))
        .onComplete(ctx.succeedingThenComplete()));
  }

  @Test
  void aPutIsAnsweredBeforeTheWaitingTakeItFed(VertxTestContext ctx) {
    List<String> order = new CopyOnWriteArrayList<>();
    vertx.getOrCreateContext().runOnContext(start -> requests.create("jobs", 5)
        .compose(v -> {
          Future<Object> take = requests.channel("jobs", "take").timeout(WAIT).send()
              .map(reply -> {
                order.add("take reply");
                return reply.body();
              });
          return requests.status("jobs")  // the take is waiting once this answers
              .compose(waiting -> requests.put("jobs", "a").onSuccess(put -> order.add("put reply")))
              .compose(put -> take);
        })
        .map(item -> assertThat(item).isEqualTo("a"))
        .map(v -> assertThat(order).containsExactly("put reply", "take reply"))
        .onComplete(ctx.succeedingThenComplete()));
  }

  @Test
  void closingAnEmptyChannelFinishesItAndPublishesTheJoinedEvent(VertxTestContext ctx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    JsonObject finished = freshStatus("idle", null).put("closed", true).put("finished", true);
    requests.create("idle")
        .compose(v -> listen(requests.joinedAddress("idle"), events))
        .compose(v -> requests.close("idle"))
        .map(status -> assertThat(status).isEqualTo(finished))
        .compose(v -> observationWindow())
        .map(v -> assertThat(events).containsExactly(finished))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theJoinedEventOfARendezvousChannelComesAtCloseAndCountsHandOvers(VertxTestContext ctx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    requests.create("meet", 0)
        .compose(v -> listen(requests.joinedAddress("meet"), events))
        .compose(v -> {
          Future<Message<Object>> taker = requests.channel("meet", "take").timeout(WAIT).send();
          return requests.put("meet", "x").compose(put -> taker);
        })
        .compose(v -> {
          Future<?> putter = refused(requests.channel("meet", "put").timeout(WAIT).body("never").send(),
              CLOSED, "CLOSED");
          return requests.close("meet").compose(closed -> putter);
        })
        .compose(v -> observationWindow())
        .map(v -> assertThat(events).containsExactly(freshStatus("meet", 0)
            .put("closed", true).put("finished", true).put("put", 1L).put("taken", 1L)))
        .onComplete(ctx.succeedingThenComplete());
  }

  // delete

  @Test
  void deleteFailsWaitingPutsAndJoinsWithClosedAndDiscardsOnlyBufferedItems(VertxTestContext ctx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    requests.create("jobs", 2)
        .compose(v -> listen(requests.joinedAddress("jobs"), events))
        .compose(v -> requests.putAll("jobs", "a", "b"))
        .compose(v -> {
          Future<?> putC = refused(requests.channel("jobs", "put").timeout(WAIT).body("c").send(), CLOSED, "CLOSED");
          Future<?> putD = refused(requests.channel("jobs", "put").timeout(WAIT).body("d").send(), CLOSED, "CLOSED");
          Future<?> join = refused(requests.channel("jobs", "join").timeout(WAIT).send(), CLOSED, "CLOSED");
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("putters")).isEqualTo(2))
              .compose(v2 -> requests.delete("jobs"))
              .map(deleted -> assertThat(deleted).isEqualTo(new JsonObject().put("name", "jobs").put("discarded", 2)))
              .compose(v2 -> Future.all(putC, putD, join));
        })
        .compose(v -> observationWindow())
        .map(v -> {
          assertThat(events).as("a deleted channel never finishes").isEmpty();
          return v;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void deleteFailsWaitingTakesWithClosed(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> {
          Future<?> take = refused(requests.channel("jobs", "take").timeout(WAIT).send(), CLOSED, "CLOSED");
          Future<?> join = refused(requests.channel("jobs", "join").timeout(WAIT).send(), CLOSED, "CLOSED");
          return requests.status("jobs")
              .map(status -> assertThat(status.getInteger("takers")).isOne())
              .compose(v2 -> requests.delete("jobs"))
              .map(deleted -> assertThat(deleted).isEqualTo(new JsonObject().put("name", "jobs").put("discarded", 0)))
              .compose(v2 -> Future.all(take, join));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDeletedChannelIsNoLongerServedAndItsNameCanBeCreatedAgain(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> requests.create("other", 1))
        .compose(v -> requests.put("jobs", "a"))
        .compose(v -> requests.delete("jobs"))
        .compose(v -> noHandlers(requests.channel("jobs", "status").send()))
        .compose(v -> noHandlers(requests.channel("jobs", "put").body("b").send()))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels")).containsExactly(freshStatus("other", 1)))
        .compose(v -> refused(requests.delete("jobs"), NOT_FOUND, "NOT_FOUND"))
        .map(refusal -> assertThat(refusal.getMessage()).contains("'jobs'"))
        .compose(v -> requests.create("jobs", 7))
        .map(status -> assertThat(status).as("a new channel, not the deleted one").isEqualTo(freshStatus("jobs", 7)))
        .compose(v -> requests.put("jobs", "fresh"))
        .compose(v -> requests.take("jobs"))
        .map(item -> assertThat(item).isEqualTo("fresh"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aNameCanBeCreatedAgainRightAfterItsDeleteIsSent(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> {
          Future<JsonObject> deleted = requests.delete("jobs");
          Future<JsonObject> created = requests.create("jobs", 3);
          return Future.all(deleted, created).compose(both -> requests.put("jobs", "x"))
              .compose(v2 -> requests.status("jobs"))
              .map(status -> assertThat(status).isEqualTo(freshStatus("jobs", 3).put("size", 1).put("put", 1L)));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aDeleteSentRightAfterARecreateDeletesTheNewChannel(VertxTestContext ctx) {
    requests.create("jobs", 2)
        .compose(v -> {
          // sent back to back: the create lands while the first delete still unregisters the address
          Future<JsonObject> firstDelete = requests.delete("jobs");
          Future<JsonObject> create = requests.create("jobs", 3);
          Future<JsonObject> secondDelete = requests.delete("jobs");
          return Future.all(firstDelete, create, secondDelete).compose(all -> secondDelete);
        })
        .map(deleted -> assertThat(deleted).isEqualTo(new JsonObject().put("name", "jobs").put("discarded", 0)))
        .compose(v -> noHandlers(requests.channel("jobs", "status").send()))
        .compose(v -> requests.list())
        .map(list -> assertThat(list.getJsonArray("channels")).hasSize(0))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void deletingAFinishedChannelDiscardsNothingAndPublishesNoSecondEvent(VertxTestContext ctx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    requests.create("jobs", 2)
        .compose(v -> listen(requests.joinedAddress("jobs"), events))
        .compose(v -> requests.close("jobs"))
        .compose(v -> requests.delete("jobs"))
        .map(deleted -> assertThat(deleted).isEqualTo(new JsonObject().put("name", "jobs").put("discarded", 0)))
        .compose(v -> observationWindow())
        .map(v -> assertThat(events).hasSize(1))
        .onComplete(ctx.succeedingThenComplete());
  }

  // list

  @Test
  void listRepliesTheStatusOfEveryChannel(VertxTestContext ctx) {
    requests.list()
        .map(list -> assertThat(list).isEqualTo(new JsonObject().put("channels", new JsonArray())))
        .compose(v -> requests.create("bounded", 3))
        .compose(v -> requests.create("endless"))
        .compose(v -> requests.create("meet", 0))
        .compose(v -> requests.putAll("bounded", 1, 2))
        .compose(v -> requests.close("endless"))
        .compose(v -> requests.list())
        .map(list -> {
          assertThat(list.fieldNames()).containsExactly("channels");
          return assertThat(list.getJsonArray("channels")).containsExactlyInAnyOrder(
              freshStatus("bounded", 3).put("size", 2).put("put", 2L),
              freshStatus("endless", null).put("closed", true).put("finished", true),
              freshStatus("meet", 0));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aListThatNamesAChannelRepliesItsStatusOnlyOrNoneIfItDoesNotExist(VertxTestContext ctx) {
    requests.create("bounded", 3)
        .compose(v -> requests.create("endless"))
        .compose(v -> requests.registry("list").body(new JsonObject().put("name", "bounded")).json())
        .map(list -> assertThat(list).isEqualTo(new JsonObject().put("channels", new JsonArray().add(freshStatus("bounded", 3)))))
        .compose(v -> requests.registry("list").body(new JsonObject().put("name", "ghost")).json())
        .map(list -> assertThat(list).isEqualTo(new JsonObject().put("channels", new JsonArray())))
        .onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> listen(String address, List<JsonObject> events) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address, event -> events.add(event.body()));
    return consumer.completion();
  }

  /**
   * A bounded window in which an unwanted event would have arrived: the host publishes while
   * handling a request, so after one more round trip any event is already on its way; a short
   * timer gives it time to be delivered.
   */
  private Future<Void> observationWindow() {
    return requests.list().compose(v -> vertx.timer(OBSERVATION_MS)).mapEmpty();
  }
}
