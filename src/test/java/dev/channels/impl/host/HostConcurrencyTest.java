package dev.channels.impl.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.channels.ChannelHostVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Four producer verticles and four consumer verticles, each on its own event loop, pass 200,000
 * items through one capacity-100 channel over the event bus: every item is taken exactly once, the
 * consumers learn the end from 410, join completes and the joined event comes exactly once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HostConcurrencyTest {

  private static final int PRODUCERS = 4;
  private static final int CONSUMERS = 4;
  private static final int ITEMS_PER_PRODUCER = 50_000;
  private static final int ITEMS = PRODUCERS * ITEMS_PER_PRODUCER;
  private static final int CAPACITY = 100;
  /** Requests each producer or consumer keeps in flight. */
  private static final int IN_FLIGHT = 24;
  private static final String ADDRESS = "channels.work";

  private Vertx vertx;

  @BeforeEach
  void startVertxWithAnEventLoopForEveryVerticle() {
    // host + 4 producers + 4 consumers, and room to spare: no two verticles share an event loop
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2 * (1 + PRODUCERS + CONSUMERS)));
  }

  @AfterEach
  void closeVertx(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void fourProducersAndFourConsumersPassEveryItemExactlyOnceThroughACapacity100Channel(VertxTestContext ctx) {
    ObservedHost host = new ObservedHost();
    List<Producer> producers = new ArrayList<>();
    List<Consumer> consumers = new ArrayList<>();
    List<JsonObject> joinedEvents = new CopyOnWriteArrayList<>();
    HostRequests requests = new HostRequests(vertx);
    JsonObject config = new JsonObject().put("channels", new JsonArray()
        .add(new JsonObject().put("name", "work").put("capacity", CAPACITY)));

    Future<JsonObject> joined = vertx.deployVerticle(host, new DeploymentOptions().setConfig(config))
        .compose(id -> {
          MessageConsumer<JsonObject> listener = vertx.eventBus().consumer(requests.joinedAddress("work"),
              event -> joinedEvents.add(event.body()));
          return listener.completion();
        })
        .compose(v -> {
          List<Future<?>> deployments = new ArrayList<>();
          for (int i = 0; i < CONSUMERS; i++) {
            Consumer consumer = new Consumer();
            consumers.add(consumer);
            deployments.add(vertx.deployVerticle(consumer));
          }
          for (int i = 0; i < PRODUCERS; i++) {
            Producer producer = new Producer(i * ITEMS_PER_PRODUCER, ITEMS_PER_PRODUCER);
            producers.add(producer);
            deployments.add(vertx.deployVerticle(producer));
          }
          return Future.all(deployments);
        })
        .compose(v -> {
          Future<JsonObject> join = requests.channel("work", "join").timeout(50_000).sendTimeout(55_000).json();
          return Future.all(producers.stream().map(producer -> producer.done.future()).toList())
              .compose(allPut -> requests.close("work"))
              .compose(closed -> Future.all(consumers.stream().map(consumer -> consumer.done.future()).toList()))
              .compose(allTaken -> join);
        });

    joined
        .map(status -> {
          List<Context> workers = new ArrayList<>();
          producers.forEach(producer -> workers.add(producer.context()));
          consumers.forEach(consumer -> workers.add(consumer.context()));
          for (Context worker : workers) {
            assertThat(worker).isNotSameAs(host.context());
            assertThat(worker.isEventLoopContext()).isTrue();
          }
          List<Thread> threads = new ArrayList<>();
          producers.forEach(producer -> threads.add(producer.thread));
          consumers.forEach(consumer -> threads.add(consumer.thread));
          assertThat(threads).doesNotContain(host.thread).doesNotHaveDuplicates();

          BitSet union = new BitSet(ITEMS);
          long sum = 0;
          for (Consumer consumer : consumers) {
            assertThat(consumer.duplicates).as("items a consumer got twice").isZero();
            assertThat(consumer.taken.cardinality()).isEqualTo(consumer.count);
            union.or(consumer.taken);
            sum += consumer.count;
          }
          assertThat(sum).as("items taken by all consumers").isEqualTo(ITEMS);
          assertThat(union.cardinality()).as("distinct items taken").isEqualTo(ITEMS);
          assertThat(union.nextSetBit(ITEMS)).as("no item that was never put").isEqualTo(-1);

          assertThat(status).isEqualTo(HostRequests.freshStatus("work", CAPACITY)
              .put("closed", true).put("finished", true).put("put", (long) ITEMS).put("taken", (long) ITEMS));
          return status;
        })
        // a bounded window for a second joined event: one more round trip, then a short timer
        .compose(status -> requests.status("work").compose(v -> vertx.timer(200)).map(status))
        .map(status -> assertThat(joinedEvents).containsExactly(status))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The host, exposing the context it runs on. */
  private static final class ObservedHost extends ChannelHostVerticle {

    private volatile Thread thread;

    @Override
    public Future<?> start() {
      thread = Thread.currentThread();
      return super.start();
    }

    Context context() {
      return context;
    }
  }

  /** Puts its range of integers, {@link #IN_FLIGHT} put requests at a time. */
  private static final class Producer extends VerticleBase {

    private static final DeliveryOptions PUT = new DeliveryOptions().addHeader("action", "put");

    final Promise<Void> done = Promise.promise();
    volatile Thread thread;
    private final int first;
    private final int count;
    private int next;
    private int idleLanes;

    Producer(int first, int count) {
      this.first = first;
      this.count = count;
    }

    @Override
    public Future<?> start() {
      thread = Thread.currentThread();
      for (int lane = 0; lane < IN_FLIGHT; lane++) {
        putNext();
      }
      return Future.succeededFuture();
    }

    Context context() {
      return context;
    }

    private void putNext() {
      if (next == count) {
        if (++idleLanes == IN_FLIGHT) {
          done.tryComplete();
        }
        return;
      }
      int item = first + next++;
      vertx.eventBus().request(ADDRESS, item, PUT).onComplete(reply -> putNext(), done::tryFail);
    }
  }

  /** Takes, {@link #IN_FLIGHT} take requests at a time, until the channel answers 410. */
  private static final class Consumer extends VerticleBase {

    private static final DeliveryOptions TAKE = new DeliveryOptions().addHeader("action", "take");

    final Promise<Void> done = Promise.promise();
    final BitSet taken = new BitSet(ITEMS);
    volatile Thread thread;
    int count;
    int duplicates;
    private int endedLanes;

    @Override
    public Future<?> start() {
      thread = Thread.currentThread();
      for (int lane = 0; lane < IN_FLIGHT; lane++) {
        takeNext();
      }
      return Future.succeededFuture();
    }

    Context context() {
      return context;
    }

    private void takeNext() {
      vertx.eventBus().<Integer>request(ADDRESS, null, TAKE).onComplete(reply -> {
        int item = reply.body();
        if (taken.get(item)) {
          duplicates++;
        }
        taken.set(item);
        count++;
        takeNext();
      }, failure -> {
        if (failure instanceof ReplyException refusal && refusal.failureType() == ReplyFailure.RECIPIENT_FAILURE
            && refusal.failureCode() == 410) {
          if (++endedLanes == IN_FLIGHT) {
            done.tryComplete();
          }
        } else {
          done.tryFail(failure);
        }
      });
    }
  }
}
