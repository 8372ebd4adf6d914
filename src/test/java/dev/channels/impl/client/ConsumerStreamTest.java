package dev.channels.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelClosedException;
import dev.channels.ChannelHostVerticle;
import dev.channels.ChannelTimeoutException;
import dev.channels.AckMode;
import dev.channels.Delivered;
import dev.channels.impl.streams.MappedReadStream;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The streaming consumer's ReadStream against a real host: credit, demand, acknowledgements, ends. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ConsumerStreamTest {

  private static final String CHANNEL = "channels.jobs";

  private Future<Void> host(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config))
        .compose(id -> request(vertx, "channels", "create", new JsonObject().put("name", "jobs")))
        .mapEmpty();
  }

  private static Future<Object> request(Vertx vertx, String address, String action, Object body) {
    return vertx.eventBus().request(address, body, new DeliveryOptions().addHeader("action", action))
        .map(reply -> reply.body());
  }

  private static Future<Void> putRange(Vertx vertx, int from, int to) {
    JsonArray items = new JsonArray();
    IntStream.range(from, to).forEach(items::add);
    return request(vertx, CHANNEL, "put-all", items).mapEmpty();
  }

  private static Future<JsonObject> status(Vertx vertx) {
    return request(vertx, CHANNEL, "status", null).map(JsonObject.class::cast);
  }

  /** A streaming consumer of channel 'jobs' whose handler gets the items themselves. */
  private static ReadStream<Integer> stream(Context context, int prefetch, AckMode acknowledge) {
    return new MappedReadStream<>(consumer(context, prefetch, acknowledge), Delivered::item);
  }

  private static ConsumerStream<Integer> consumer(Context context, int prefetch, AckMode acknowledge) {
    return new ConsumerStream<>((ContextInternal) context, "channels", CHANNEL, "jobs", new KnownState("jobs"), body -> (Integer) body,
        prefetch, acknowledge, 5_000, 5_000);
  }

  /** Runs {@code test} on a fresh event-loop context and completes with its outcome. */
  private static <R> Future<R> onNewContext(Vertx vertx, Function<Context, Future<R>> test) {
    Context context = vertx.getOrCreateContext();
    Promise<R> result = Promise.promise();
    context.runOnContext(v -> test.apply(context).onComplete(result));
    return result.future();
  }

  @Test
  void aStreamTakesEveryItemInOrderThenEndsWhenTheChannelFinishes(Vertx vertx, VertxTestContext ctx) {
    List<Integer> seen = new ArrayList<>();
    host(vertx, new JsonObject())
        .compose(v -> putRange(vertx, 0, 1_000))
        .compose(v -> request(vertx, CHANNEL, "close", null))
        .compose(v -> onNewContext(vertx, context -> {
          Promise<Void> ended = Promise.promise();
          stream(context, 16, AckMode.ON_DELIVERY)
              .endHandler(ended::complete)
              .handler(seen::add);
          return ended.future();
        }))
        .compose(v -> status(vertx))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 1_000).boxed().toList());
          assertThat(status.getLong("taken")).isEqualTo(1_000L);
          assertThat(status.getInteger("inFlight")).isZero();
          assertThat(status.getBoolean("finished")).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  void aPausedStreamHoldsNothingAndFetchTakesExactlyWhatItAsksFor(Vertx vertx, VertxTestContext ctx) {
    List<Integer> seen = new ArrayList<>();
    Promise<Void> ended = Promise.promise();
    host(vertx, new JsonObject())
        .compose(v -> putRange(vertx, 0, 100))
        .compose(v -> onNewContext(vertx, context -> {
          ReadStream<Integer> stream = stream(context, 10, AckMode.ON_DELIVERY);
          stream.pause().endHandler(ended::complete).handler(seen::add);
          // registered with no credit: the host pushes nothing to it
          return eventually(vertx, () -> status(vertx).map(status -> status.getInteger("takers") == 0
                  && status.getInteger("size") == 100))
              .compose(registered -> request(vertx, "channels", "list", null))
              .compose(roundTrip -> status(vertx))
              .map(status -> {
                assertThat(seen).isEmpty();
                assertThat(status.getInteger("inFlight")).isZero();
                stream.fetch(3);
                return stream;
              });
        }))
        .compose(stream -> eventually(vertx, () -> status(vertx).map(status -> status.getLong("taken") == 3L
                && status.getInteger("inFlight") == 0))
            .map(v -> {
              assertThat(seen).containsExactly(0, 1, 2);
              return stream;
            }))
        .compose(stream -> {
          stream.resume();
          return request(vertx, CHANNEL, "close", null);
        })
        .compose(v -> ended.future())
        .compose(v -> status(vertx))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
          assertThat(status.getLong("redelivered")).as("nothing was handed out twice").isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void afterProcessingAFailedItemIsDeliveredAgainAndAckedOnlyWhenItsFutureSucceeds(Vertx vertx, VertxTestContext ctx) {
    List<Integer> seen = new ArrayList<>();
    host(vertx, new JsonObject())
        .compose(v -> putRange(vertx, 0, 5))
        .compose(v -> request(vertx, CHANNEL, "close", null))
        .compose(v -> onNewContext(vertx, context -> {
          return consumer(context, 4, AckMode.AFTER_PROCESSING).consume(delivered -> {
            int item = delivered.item();
            seen.add(item);
            // item 2 fails the first time it is processed
            return item == 2 && seen.stream().filter(i -> i == 2).count() == 1
                ? Future.failedFuture("not yet") : Future.succeededFuture();
          });
        }))
        .compose(v -> status(vertx))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertThat(seen).filteredOn(i -> i == 2).hasSize(2);
          assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 2, 3, 4);
          assertThat(status.getLong("taken")).isEqualTo(5L);
          assertThat(status.getLong("put")).isEqualTo(5L);
          ctx.completeNow();
        })));
  }

  @Test
  void anUndeployedVerticlesStreamGivesItsUnacknowledgedItemsBack(Vertx vertx, VertxTestContext ctx) {
    host(vertx, new JsonObject())
        .compose(v -> putRange(vertx, 0, 50))
        .compose(v -> vertx.deployVerticle(new VerticleBase() {
          @Override
          public Future<?> start() {
            // processes items that never finish: each holds its credit, unacknowledged
            consumer(context, 20, AckMode.AFTER_PROCESSING).consume(item -> Promise.promise().future());
            return Future.succeededFuture();
          }
        }))
        .compose(id -> eventually(vertx, () -> status(vertx).map(status -> status.getInteger("inFlight") == 20))
            .compose(v -> vertx.undeploy(id)))
        .compose(v -> eventually(vertx, () -> status(vertx).map(status -> status.getInteger("inFlight") == 0)))
        .compose(v -> status(vertx))
        .map(status -> {
          assertThat(status.getInteger("size")).isEqualTo(50);
          assertThat(status.getLong("taken")).isZero();
          return status;
        })
        // the twenty it was processing went back as failed deliveries: handed out again, they say so
        .compose(v -> vertx.eventBus().request(CHANNEL, null, new DeliveryOptions().addHeader("action", "take")
            .addHeader("max", "50").addHeader("ack", "true")))
        .onComplete(ctx.succeeding(batch -> ctx.verify(() -> {
          assertThat(batch.headers().get("deliveries").split(","))
              .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> i < 20 ? "2" : "1").toList());
          assertThat(batch.headers().get("redelivered")).isEqualTo("true");
          batch.reply(null);
          ctx.completeNow();
        })));
  }

  @Test
  void itemsProcessedPastTheAckDeadlineGoBackMarkedAndTheStreamConsumesAgain(Vertx vertx, VertxTestContext ctx) {
    List<Delivered<Integer>> seen = new ArrayList<>();
    List<Throwable> reported = new ArrayList<>();
    Promise<Void> ended = Promise.promise();
    host(vertx, new JsonObject().put("ackTimeoutMs", 200))
        .compose(v -> putRange(vertx, 0, 30))
        .compose(v -> request(vertx, CHANNEL, "close", null))
        .compose(v -> onNewContext(vertx, context -> {
          ConsumerStream<Integer> stream = consumer(context, 10, AckMode.AFTER_PROCESSING);
          stream.exceptionHandler(reported::add).endHandler(ended::complete);
          // the first ten take longer than the ack deadline; the rest are quick
          stream.consume(delivered -> {
            seen.add(delivered);
            return seen.size() > 10 ? Future.succeededFuture()
                : Future.future(processed -> vertx.setTimer(400, id -> processed.complete()));
          });
          return ended.future();
        }))
        .compose(v -> status(vertx))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertThat(reported).first().isInstanceOf(ChannelTimeoutException.class);
          assertThat(seen).extracting(Delivered::item)
              .containsAll(IntStream.range(0, 30).boxed().toList());
          assertThat(seen).filteredOn(Delivered::redelivered).extracting(Delivered::item)
              .as("the items processed too slowly came again, marked").isNotEmpty()
              .allMatch(item -> item < 10);
          assertThat(status.getLong("taken")).isEqualTo(30L);
          ctx.completeNow();
        })));
  }

  @Test
  void aDeletedChannelIsReportedToTheExceptionHandler(Vertx vertx, VertxTestContext ctx) {
    Promise<Throwable> reported = Promise.promise();
    host(vertx, new JsonObject())
        .compose(v -> onNewContext(vertx, context -> {
          stream(context, 4, AckMode.ON_DELIVERY).exceptionHandler(reported::tryComplete).handler(item -> { });
          return eventually(vertx, () -> request(vertx, "channels", "list", null)
              .map(list -> true)); // registered once a status round trip later: consume is answered first
        }))
        .compose(v -> eventually(vertx, () -> status(vertx).map(status -> status.getInteger("takers") == 1)))
        .compose(v -> request(vertx, "channels", "delete", new JsonObject().put("name", "jobs")))
        .compose(v -> reported.future())
        .onComplete(ctx.succeeding(failure -> ctx.verify(() -> {
          assertThat(failure).isInstanceOf(ChannelClosedException.class).hasMessageContaining("'jobs' was deleted");
          ctx.completeNow();
        })));
  }

  @Test
  void twoStreamsShareTheItemsEachTakenExactlyOnce(Vertx vertx, VertxTestContext ctx) {
    List<Integer> first = new ArrayList<>();
    List<Integer> second = new ArrayList<>();
    host(vertx, new JsonObject())
        .compose(v -> Future.all(
            onNewContext(vertx, context -> consumeToTheEnd(context, first)),
            onNewContext(vertx, context -> consumeToTheEnd(context, second)),
            eventually(vertx, () -> status(vertx).map(status -> status.getInteger("takers") == 2))
                .compose(both -> putRange(vertx, 0, 2_000))
                .compose(put -> request(vertx, CHANNEL, "close", null))))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<Integer> all = new ArrayList<>(first);
          all.addAll(second);
          assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 2_000).boxed().toList());
          assertThat(first).isNotEmpty();
          assertThat(second).isNotEmpty();
          ctx.completeNow();
        })));
  }

  private static Future<Void> consumeToTheEnd(Context context, List<Integer> into) {
    Promise<Void> ended = Promise.promise();
    stream(context, 32, AckMode.ON_DELIVERY).endHandler(ended::complete).handler(into::add);
    return ended.future();
  }

  /** Polls {@code condition} every 10 ms until it holds; the test's timeout bounds it. */
  private static Future<Void> eventually(Vertx vertx, java.util.function.Supplier<Future<Boolean>> condition) {
    return condition.get().compose(holds -> holds ? Future.succeededFuture()
        : Future.<Void>future(promise -> vertx.setTimer(10, id -> eventually(vertx, condition).onComplete(promise))));
  }
}
