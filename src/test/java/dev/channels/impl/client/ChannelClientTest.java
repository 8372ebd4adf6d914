package dev.channels.impl.client;

import static dev.channels.impl.client.ClientTesting.deployHost;
import static dev.channels.impl.client.ClientTesting.failsWith;
import static dev.channels.impl.client.ClientTesting.onNewContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.channels.Channel;
import dev.channels.ChannelClient;
import dev.channels.ChannelClientOptions;
import dev.channels.ChannelClosedException;
import dev.channels.ChannelStatus;
import dev.channels.Delivered;
import dev.channels.LocalOnlyCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client's registry operations, typed channels, and what a remote channel knows synchronously. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ChannelClientTest {

  /** An application's item type, mapped to a JSON object on the wire. */
  record Job(int id, String file) {
  }

  private static Future<Object> rawStatusCapacity(Vertx vertx, String name) {
    return vertx.eventBus().<JsonObject>request("channels." + name, null, new DeliveryOptions().addHeader("action", "status"))
        .map(reply -> reply.body().containsKey("capacity") ? reply.body().getValue("capacity") : "absent");
  }

  // registry

  @Test
  void theJoinedEventOfAChannelComesOnceAtTheAddressTheClientNames(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject().put("address", "work")).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx, new ChannelClientOptions().setAddress("work"));
      assertThat(client.joinedAddress("jobs")).isEqualTo("work.jobs.joined");
      assertThatThrownBy(() -> client.joinedAddress("a.b")).isInstanceOf(IllegalArgumentException.class);
      List<JsonObject> events = new ArrayList<>();
      return vertx.eventBus().<JsonObject>consumer(client.joinedAddress("jobs"), event -> events.add(event.body()))
          .completion()
          .compose(v -> client.create("jobs", 5))
          .compose(v -> client.channel("jobs").close())
          .compose(v -> client.channel("jobs").join())
          .compose(v -> vertx.timer(50)) // a second event would come within this window
          .map(v -> {
            assertThat(events).hasSize(1);
            assertThat(events.get(0).getBoolean("finished")).isTrue();
            return v;
          });
    })));
  }

  @Test
  void createRepliesWithTheStatusAndIsIdempotent(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      ChannelStatus fresh = new ChannelStatus("jobs", 5, 0, false, false, 0, 0, 0, 0, 0);
      return client.create("jobs", 5)
          .map(status -> assertThat(status).isEqualTo(fresh))
          .compose(v -> client.create("jobs", 5))
          .map(status -> assertThat(status).isEqualTo(fresh))
          .compose(v -> client.create("rendezvous", 0))
          .map(status -> assertThat(status.capacity()).isZero());
    })));
  }

  @Test
  void anUnboundedChannelIsCreatedWithANullCapacityOnTheWire(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      return client.create("unbounded", Channel.UNBOUNDED)
          .map(status -> {
            assertThat(status.unbounded()).isTrue();
            assertThat(status.capacity()).isEqualTo(Channel.UNBOUNDED);
            return status;
          })
          .compose(v -> rawStatusCapacity(vertx, "unbounded"))
          .map(capacity -> assertThat(capacity).as("capacity on the wire").isEqualTo(null));
    })));
  }

  @Test
  void listGivesEveryStatusAndDeleteCountsTheDroppedItems(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<String> jobs = client.channel("jobs");
      return client.create("jobs", 10)
          .compose(v -> client.create("other", Channel.UNBOUNDED))
          .compose(v -> jobs.putAll(List.of("a", "b", "c")))
          .compose(v -> client.list())
          .map(list -> assertThat(list).containsExactly(
              new ChannelStatus("jobs", 10, 3, false, false, 0, 0, 3, 0, 0),
              new ChannelStatus("other", Channel.UNBOUNDED, 0, false, false, 0, 0, 0, 0, 0)))
          .compose(v -> client.delete("jobs"))
          .map(discarded -> {
            assertThat(discarded).isEqualTo(3);
            assertThat(jobs.isClosed()).isTrue();
            assertThat(jobs.isFinished()).isTrue();
            return discarded;
          })
          .compose(v -> client.list())
          .map(list -> assertThat(list).extracting(ChannelStatus::name).containsExactly("other"));
    })));
  }

  @Test
  void anInvalidChannelNameIsRefusedAtOnce(Vertx vertx) {
    ChannelClient client = ChannelClient.create(vertx);
    for (String name : new String[] {"", "a.b", "jobs.joined", "with space", "x".repeat(129)}) {
      assertThatThrownBy(() -> client.channel(name)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[A-Za-z0-9_-]{1,128}");
    }
    assertThatThrownBy(() -> client.channel(null)).isInstanceOf(IllegalArgumentException.class);
  }

  // typed channels

  @Test
  void aTypedChannelMapsItsItemsToJsonObjectsAndBack(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<Job> jobs = client.channel("jobs", Job.class);
      Channel<Object> raw = client.channel("jobs");
      return client.create("jobs", 10)
          .compose(v -> jobs.put(new Job(1, "a.png")))
          .compose(v -> raw.take())
          .map(wire -> assertThat(wire).isEqualTo(new JsonObject().put("id", 1).put("file", "a.png")))
          .compose(v -> jobs.offer(new Job(2, "b.png")))
          .compose(v -> jobs.putAll(List.of(new Job(3, "c.png"), new Job(4, "d.png"))))
          .compose(v -> jobs.take())
          .map(job -> assertThat(job).isEqualTo(new Job(2, "b.png")))
          .compose(v -> jobs.take(10))
          .map(batch -> assertThat(batch).containsExactly(new Job(3, "c.png"), new Job(4, "d.png")));
    })));
  }

  @Test
  void typesTheEventBusCarriesTravelAsTheyAre(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<Object> raw = client.channel("mixed");
      Channel<String> strings = client.channel("mixed", String.class);
      Channel<Integer> integers = client.channel("mixed", Integer.class);
      Channel<JsonObject> objects = client.channel("mixed", JsonObject.class);
      Channel<Buffer> buffers = client.channel("mixed", Buffer.class);
      return client.create("mixed", 10)
          .compose(v -> strings.put("text"))
          .compose(v -> integers.put(42))
          .compose(v -> objects.put(new JsonObject().put("a", 1)))
          .compose(v -> buffers.put(Buffer.buffer("bytes")))
          .compose(v -> raw.put(new JsonArray().add(1).add("two")))
          .compose(v -> strings.take()).map(item -> assertThat(item).isEqualTo("text"))
          .compose(v -> integers.take()).map(item -> assertThat(item).isEqualTo(42))
          .compose(v -> objects.take()).map(item -> assertThat(item).isEqualTo(new JsonObject().put("a", 1)))
          .compose(v -> buffers.take()).map(item -> assertThat(item).isEqualTo(Buffer.buffer("bytes")))
          .compose(v -> raw.take()).map(item -> assertThat(item).isEqualTo(new JsonArray().add(1).add("two")));
    })));
  }

  @Test
  void buffersStayBuffersInBatchTakesAndStreams(Vertx vertx, VertxTestContext test) {
    // in a JSON array, as a batch take or a push carries items, a Buffer reads back as base64 text
    List<Buffer> first = List.of(Buffer.buffer("a"), Buffer.buffer("b"), Buffer.buffer("c"));
    List<Buffer> second = List.of(Buffer.buffer("d"), Buffer.buffer("e"));
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<Buffer> buffers = client.channel("blobs", Buffer.class);
      List<Buffer> streamed = new ArrayList<>();
      return client.create("blobs", 10)
          .compose(v -> buffers.putAll(first))
          .compose(v -> buffers.take(10))
          .map(taken -> assertThat(taken).containsExactlyElementsOf(first))
          .compose(v -> buffers.putAll(second))
          .compose(v -> buffers.close())
          .compose(v -> buffers.consume(item -> {
            streamed.add(item);
            return Future.succeededFuture();
          }))
          .map(v -> assertThat(streamed).containsExactlyElementsOf(second));
    })));
  }

  @Test
  void anItemTheHostCannotHandOutIsRefusedAndNothingIsPut(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      vertx.eventBus().registerDefaultCodec(Point.class, new LocalOnlyCodec<>("point"));
      ChannelClient client = ChannelClient.create(vertx);
      Channel<Object> raw = client.channel("jobs");
      return client.create("jobs", 10)
          // a codec of its own: the host could not put it in a batch
          .compose(v -> failsWith(raw.put(new Point(1)), IllegalArgumentException.class))
          .map(failure -> assertThat(failure.getMessage()).contains("BAD_REQUEST", "'jobs'", "Point"))
          // no codec at all: the event bus cannot send it
          .compose(v -> failsWith(raw.put(new BigDecimal("1.5")), IllegalArgumentException.class))
          .map(failure -> assertThat(failure.getMessage()).contains("'jobs'", "BigDecimal"))
          .compose(v -> failsWith(raw.putAll(List.of("fine", new BigDecimal("1.5"))), IllegalArgumentException.class))
          .map(failure -> assertThat(failure.getMessage()).contains("BAD_REQUEST", "item 1", "BigDecimal"))
          .compose(v -> raw.status())
          .map(status -> assertThat(status.totalPut()).isZero());
    })));
  }

  /** A type the event bus carries only with a codec of its own. */
  record Point(int x) {
  }

  @Test
  void aTakenItemThatCannotBeMappedGoesToTheDeadLetterChannelAndTheTakeWaitsForOneThatCan(Vertx vertx,
      VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<Object> raw = client.channel("jobs");
      Channel<Object> deadLetters = client.channel("jobs-dead");
      return client.create("jobs", 10)
          .compose(v -> raw.putAll(List.of("not a job", new JsonObject().put("unknown", true),
              JsonObject.mapFrom(new Job(1, "a.png")))))
          .compose(v -> client.channel("jobs", Job.class).take())
          .map(job -> assertThat(job).isEqualTo(new Job(1, "a.png")))
          .compose(v -> raw.status())
          .map(status -> {
            assertThat(status.totalTaken()).isEqualTo(1);
            assertThat(status.deadLettered()).isEqualTo(2);
            assertThat(status.inFlight()).isZero();
            assertThat(status.size()).isZero();
            return status;
          })
          .compose(v -> collect(deadLetters, 2))
          .map(dead -> {
            assertThat(dead).extracting(Delivered::item).containsExactly("not a job", new JsonObject().put("unknown", true));
            assertThat(dead).allSatisfy(letter -> {
              assertThat(letter.headers().get("reason")).isEqualTo("unmappable");
              assertThat(letter.headers().get("source")).isEqualTo("jobs");
              assertThat(letter.headers().get("source-deliveries")).isEqualTo("1");
            });
            assertThat(dead.get(0).headers().get("error")).contains("Job", "String");
            assertThat(dead.get(1).headers().get("error")).contains("cannot map");
            return dead;
          });
    })));
  }

  /** The first {@code count} deliveries of a stream of {@code channel}; stops it then. */
  private static <T> Future<List<Delivered<T>>> collect(Channel<T> channel, int count) {
    List<Delivered<T>> seen = new ArrayList<>();
    return Future.future(done -> {
      ReadStream<Delivered<T>> stream = channel.deliveries();
      stream.exceptionHandler(done::tryFail).handler(delivered -> {
        seen.add(delivered);
        if (seen.size() == count) {
          stream.handler(null);
          done.tryComplete(seen);
        }
      });
    });
  }

  @Test
  void anItemThatCannotBeMappedIsNotSent(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      Channel<Object> objects = client.channel("jobs", Object.class);
      return client.create("jobs", 10)
          .compose(v -> failsWith(objects.put(new Object()), IllegalArgumentException.class))
          .compose(v -> failsWith(objects.putAll(List.of(new Object())), IllegalArgumentException.class))
          .compose(v -> objects.status())
          .map(status -> assertThat(status.totalPut()).isZero());
    })));
  }

  // what a remote channel knows

  @Test
  void theGettersAreTheLastStateThisClientSaw(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      ChannelClient client = ChannelClient.create(vertx);
      ChannelClient elsewhere = ChannelClient.create(vertx);
      Channel<String> jobs = client.channel("jobs");
      Channel<String> theirs = elsewhere.channel("jobs");
      assertThat(jobs.capacity()).isEqualTo(ChannelClient.UNKNOWN_CAPACITY);
      assertThat(jobs.size()).isZero();
      assertThat(jobs.isClosed()).isFalse();
      return client.create("jobs", 3)
          .map(status -> {
            // learned by the client that created it, for every channel it made of that name
            assertThat(jobs.capacity()).isEqualTo(3);
            assertThat(client.channel("jobs").capacity()).isEqualTo(3);
            assertThat(theirs.capacity()).isEqualTo(ChannelClient.UNKNOWN_CAPACITY);
            return status;
          })
          .compose(v -> theirs.putAll(List.of("a", "b")))
          .compose(v -> theirs.close())
          .map(v -> {
            assertThat(theirs.isClosed()).isTrue();
            assertThat(theirs.capacity()).isEqualTo(3);
            assertThat(jobs.isClosed()).as("not seen by this client yet").isFalse();
            return v;
          })
          .compose(v -> failsWith(jobs.put("c"), ChannelClosedException.class))
          .map(v -> {
            assertThat(jobs.isClosed()).isTrue();
            assertThat(jobs.isFinished()).isFalse();
            return v;
          })
          .compose(v -> jobs.status())
          .map(status -> assertThat(jobs.size()).isEqualTo(2))
          .compose(v -> jobs.take()).compose(v -> jobs.take())
          .compose(v -> failsWith(jobs.take(), ChannelClosedException.class))
          .map(v -> {
            assertThat(jobs.isFinished()).isTrue();
            assertThat(jobs.size()).isZero();
            return v;
          });
    })));
  }

  @Test
  void everyOutcomeCompletesOnTheCallersContext(Vertx vertx, VertxTestContext test) {
    deployHost(vertx, new JsonObject()).onComplete(test.succeeding(id -> onNewContext(vertx, test, () -> {
      Context caller = vertx.getOrCreateContext();
      ChannelClient client = ChannelClient.create(vertx);
      Channel<String> jobs = client.channel("jobs");
      List<Future<?>> outcomes = List.of(client.create("jobs", 1), jobs.put("a"), jobs.offer("b"), jobs.take(),
          jobs.poll(), jobs.put(null), jobs.status(), client.list(), jobs.close(), jobs.join());
      return Future.join(outcomes.stream().map(outcome -> outcome.transform(done -> {
        assertThat(Vertx.currentContext()).as("context completing %s", done).isSameAs(caller);
        return Future.succeededFuture();
      })).toList());
    })));
  }
}
