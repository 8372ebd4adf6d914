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
import io.vertx.core.eventbus.Message;
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
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing is lost and nothing is acknowledged twice while takers misbehave: 100,000 items pass
 * through a capacity-100 channel from four producer verticles (put-all and put, pausing together
 * now and then so that the channel runs empty) to taker verticles that take with {@code ack: true}
 * (sometimes in batches) and streaming consumers, each on its own event loop. Takers nack some
 * deliveries, never answer others (the host's ack deadline returns them), acknowledge some around
 * the deadline (accepted or too late), give up on some takes after a few ms (the host serves them
 * to a reply address that is gone), and die: undeployed while holding deliveries and with takes
 * still waiting at the host, each replaced by a new taker. Consumers nack some pushes and answer
 * some around the deadline (expired, they register again); one is undeployed midway holding a
 * push, one cancels midway.
 *
 * <p>The test side records each acknowledgement the host accepted, by item, and fails on an item
 * acknowledged twice or never. A taker acknowledges by sending its next request (a take, or a
 * status) riding on the delivery: an answer to it proves the ack was accepted; the refusal {@code
 * 412 ACK_EXPIRED}, no handler, or no answer, proves it was not (the host had given the items back). A consumer has one unit of credit
 * and grants the next in each ack, so the next push proves the ack was accepted, {@code end} too,
 * and {@code expired} proves it was not. Run with {@code -Dnoloss.seed=N} to repeat the choices of
 * a printed seed (the interleaving still varies).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HostNoLossTest {

  private static final int ITEMS = 100_000;
  private static final int PRODUCERS = 4;
  private static final int ITEMS_PER_PRODUCER = ITEMS / PRODUCERS;
  private static final int TAKERS = 4;
  private static final int CAPACITY = 100;
  private static final long ACK_TIMEOUT_MS = 300;
  private static final String ADDRESS = "channels.work";
  private static final String JOINED = ADDRESS + ".joined";
  /** The host's refusal of a request riding on an acknowledgement that came after the ack deadline. */
  private static final int ACK_EXPIRED = 412;

  /** Requests each producer and taker keeps going at once. */
  private static final int LANES = 3;
  /** Every so often all producers pause together, long enough for the channel to run empty. */
  private static final long PAUSES_EVERY_MS = 1_500;
  private static final long PAUSE_MS = 250;
  /** The largest put-all: what producers have waiting at the host must drain within a pause. */
  private static final int MAX_CHUNK = 100;
  /** What a taker does with a delivery, by probability; it acknowledges the rest. */
  private static final double DIES = 0.0005;
  private static final double NEVER_ANSWERS = 0.003;
  private static final double NACKS = 0.01;
  /** Acknowledges around the ack deadline: some acks are accepted, some come too late. */
  private static final double ACKS_SLOWLY = 0.004;
  /**
   * A take whose requester gives up after a few ms: on an empty channel, the host serves it later
   * to a reply address that is gone.
   */
  private static final double IMPATIENT = 0.05;
  /** At most this many takers die, so that replacements do not outnumber the items. */
  private static final int MAX_DEATHS = 12;
  /** The pushes after which a consumer is undeployed (holding the push) or cancels. */
  private static final int CONSUMER_LEAVES_AFTER = 3_000;
  /** No acknowledgement for this long means items were lost: fail at once, with the status. */
  private static final long STALLED_MS = 5_000;

  private Vertx vertx;
  /** Where takers are deployed from: no verticle's context, so that none is another's child. */
  private Context supervisor;
  private long seed;
  private Random seeds;
  private final Acks acks = new Acks();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final List<Taker> takers = new CopyOnWriteArrayList<>();
  private final AtomicInteger deaths = new AtomicInteger();
  private final AtomicInteger neverAnswered = new AtomicInteger();
  private final AtomicInteger nacked = new AtomicInteger();
  private final AtomicInteger acksTooLate = new AtomicInteger();
  private final AtomicInteger gaveUp = new AtomicInteger();
  private final AtomicInteger consumerAcks = new AtomicInteger();
  private final AtomicInteger consumerExpiries = new AtomicInteger();
  /** Until when (System.nanoTime()) producers pause. */
  private volatile long pausedUntil;

  @BeforeEach
  void startVertxWithAnEventLoopForEveryVerticle() {
    seed = Long.getLong("noloss.seed", System.nanoTime());
    System.out.println("HostNoLossTest seed: " + seed + " (rerun with -Dnoloss.seed=" + seed + ")");
    seeds = new Random(seed);
    // host + producers + takers and their replacements + consumers: verticles rarely share a loop
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(24));
    supervisor = vertx.getOrCreateContext();
    vertx.exceptionHandler(failure -> {
      failure.printStackTrace();
      failures.add(failure);
    });
  }

  @AfterEach
  void closeVertx(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void everyItemIsAcknowledgedExactlyOnceWhileTakersNackNeverAnswerAndDie(VertxTestContext ctx) {
    List<JsonObject> joinedEvents = new CopyOnWriteArrayList<>();
    List<Producer> producers = new ArrayList<>();
    List<StreamConsumer> consumers = new ArrayList<>();
    HostRequests requests = new HostRequests(vertx);
    JsonObject config = new JsonObject()
        .put("ackTimeoutMs", ACK_TIMEOUT_MS)
        .put("channels", new JsonArray().add(new JsonObject().put("name", "work").put("capacity", CAPACITY)));
    long start = System.nanoTime();
    watchForStalls(ctx, requests);
    vertx.setPeriodic(PAUSES_EVERY_MS, timer -> pausedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PAUSE_MS));

    Future<JsonObject> joined = vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(config))
        .compose(id -> vertx.eventBus().<JsonObject>consumer(JOINED, event -> joinedEvents.add(event.body())).completion())
        .compose(v -> {
          List<Future<?>> deployments = new ArrayList<>();
          for (int i = 0; i < TAKERS; i++) {
            deployments.add(deployTaker());
          }
          consumers.add(new StreamConsumer("to-the-end", Leaving.NEVER));
          consumers.add(new StreamConsumer("undeployed-midway", Leaving.UNDEPLOYED));
          consumers.add(new StreamConsumer("cancels-midway", Leaving.CANCELS));
          consumers.forEach(consumer -> deployments.add(vertx.deployVerticle(consumer)));
          for (int i = 0; i < PRODUCERS; i++) {
            Producer producer = new Producer(i * ITEMS_PER_PRODUCER, ITEMS_PER_PRODUCER, seeds.nextLong());
            producers.add(producer);
            deployments.add(vertx.deployVerticle(producer));
          }
          return Future.all(deployments);
        })
        .compose(v -> {
          Future<JsonObject> join = requests.channel("work", "join").timeout(50_000).sendTimeout(55_000).json();
          return Future.all(producers.stream().map(producer -> producer.done.future()).toList())
              .compose(allPut -> requests.close("work"))
              .compose(closed -> join);
        });

    joined
        .compose(status -> allTakersDone().map(status))
        .compose(status -> Future.all(consumers.stream().map(consumer -> consumer.done.future()).toList()).map(status))
        .map(status -> {
          System.out.printf("HostNoLossTest: %d items in %d ms; %d taker deaths, %d deliveries never answered,"
                  + " %d nacked, %d acks too late, %d takes given up; %d consumer acks, %d consumer expiries%n",
              ITEMS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), deaths.get(), neverAnswered.get(),
              nacked.get(), acksTooLate.get(), gaveUp.get(), consumerAcks.get(), consumerExpiries.get());
          assertThat(failures).as("unexpected outcomes and exceptions").isEmpty();
          assertThat(producers.stream().mapToLong(producer -> producer.enqueued).sum()).isEqualTo(ITEMS);
          acks.assertEveryItemAcknowledgedExactlyOnce();
          assertThat(status.getLong("redelivered")).as("items handed out again").isPositive();
          assertThat(status).isEqualTo(HostRequests.freshStatus("work", CAPACITY)
              .put("closed", true).put("finished", true).put("put", (long) ITEMS).put("taken", (long) ITEMS)
              .put("redelivered", status.getLong("redelivered")));
          assertThat(deaths.get()).as("takers died").isPositive();
          assertThat(neverAnswered.get()).as("deliveries left unanswered").isPositive();
          assertThat(nacked.get()).as("deliveries nacked").isPositive();
          assertThat(acksTooLate.get()).as("acks the host refused, too late").isPositive();
          assertThat(consumerAcks.get()).as("items acknowledged by consumers").isPositive();
          return status;
        })
        // a bounded window for a second joined event: one more round trip, then a short timer
        .compose(status -> requests.status("work").compose(v -> vertx.timer(200)).map(status))
        .map(status -> assertThat(joinedEvents).containsExactly(status))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Fails the test, showing the channel's status, when no acknowledgement comes for a while. */
  private void watchForStalls(VertxTestContext ctx, HostRequests requests) {
    long[] last = {-1, System.nanoTime()};
    vertx.setPeriodic(1_000, timer -> {
      long count = acks.count();
      if (count != last[0]) {
        last[0] = count;
        last[1] = System.nanoTime();
      } else if (count < ITEMS && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last[1]) >= STALLED_MS) {
        vertx.cancelTimer(timer);
        requests.status("work").onComplete(status -> ctx.failNow(new AssertionError(
            "no acknowledgement for " + STALLED_MS + " ms after " + count + " (seed " + seed + "); status: "
                + (status.succeeded() ? status.result().encode() : status.cause()))));
      }
    });
  }

  private Future<String> deployTaker() {
    Promise<String> deployed = Promise.promise();
    supervisor.runOnContext(v -> {
      Taker taker = new Taker(seeds.nextLong());
      takers.add(taker);
      vertx.deployVerticle(taker).onComplete(deployed);
    });
    return deployed.future();
  }

  /** Every taker ever deployed has ended (410 on all its lanes) or died; replacements included. */
  private Future<Void> allTakersDone() {
    int known = takers.size();
    return Future.all(takers.stream().map(taker -> taker.done.future()).toList())
        .compose(v -> takers.size() == known ? Future.succeededFuture() : allTakersDone());
  }

  private void unexpected(String who, Throwable failure) {
    AssertionError unexpected = new AssertionError(who + ": unexpected " + failure, failure);
    System.out.println("HostNoLossTest: " + unexpected.getMessage());
    failures.add(unexpected);
  }

  private static boolean refusedWith(Throwable failure, int code) {
    return failure instanceof ReplyException refusal && refusal.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && refusal.failureCode() == code;
  }

  /** A delay from a little before to a little after the host's ack deadline. */
  private static long aroundTheAckDeadline(Random random) {
    return ACK_TIMEOUT_MS - 40 + random.nextInt(80);
  }

  private static List<Integer> ids(Object body) {
    List<Integer> ids = new ArrayList<>();
    if (body instanceof JsonArray batch) {
      batch.forEach(id -> ids.add((Integer) id));
    } else {
      ids.add((Integer) body);
    }
    return ids;
  }

  /** The acknowledgements the host accepted, by item. */
  private static final class Acks {

    private final BitSet acknowledged = new BitSet(ITEMS);
    private final List<Integer> twice = new ArrayList<>();
    private final List<Integer> unknown = new ArrayList<>();

    synchronized void record(List<Integer> ids) {
      for (int id : ids) {
        if (id < 0 || id >= ITEMS) {
          unknown.add(id);
        } else if (acknowledged.get(id)) {
          twice.add(id);
        } else {
          acknowledged.set(id);
        }
      }
    }

    synchronized long count() {
      return acknowledged.cardinality();
    }

    synchronized void assertEveryItemAcknowledgedExactlyOnce() {
      assertThat(unknown).as("acknowledged items that were never put").isEmpty();
      assertThat(twice).as("items acknowledged twice").isEmpty();
      BitSet never = new BitSet(ITEMS);
      never.set(0, ITEMS);
      never.andNot(acknowledged);
      assertThat(never.stream().limit(20).boxed().toList()).as("items never acknowledged (first 20)").isEmpty();
    }
  }

  /**
   * Puts its range of integers, {@link #LANES} requests at a time: put-alls of 1 to {@link
   * #MAX_CHUNK} items, and puts. Now and then all producers pause, so that the channel runs empty
   * and takes wait at the host (impatient and dying takers leave them behind: the host serves them
   * to a reply address that is gone).
   */
  private final class Producer extends VerticleBase {

    final Promise<Void> done = Promise.promise();
    long enqueued;
    private final int first;
    private final int count;
    private final Random random;
    private int next;
    private int idleLanes;

    Producer(int first, int count, long seed) {
      this.first = first;
      this.count = count;
      this.random = new Random(seed);
    }

    @Override
    public Future<?> start() {
      for (int lane = 0; lane < LANES; lane++) {
        putNext();
      }
      return Future.succeededFuture();
    }

    private void putNext() {
      if (next == count) {
        if (++idleLanes == LANES) {
          done.tryComplete();
        }
        return;
      }
      long pausedMs = TimeUnit.NANOSECONDS.toMillis(pausedUntil - System.nanoTime());
      if (pausedMs > 0) {
        vertx.setTimer(pausedMs, timer -> putChunk());
      } else {
        putChunk();
      }
    }

    private void putChunk() {
      int size = Math.min(count - next, random.nextInt(5) == 0 ? 1 : 1 + random.nextInt(MAX_CHUNK));
      List<Integer> chunk = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        chunk.add(first + next++);
      }
      if (size == 1 && random.nextBoolean()) {
        put(chunk.get(0));
      } else {
        putAll(chunk);
      }
    }

    private void put(int item) {
      DeliveryOptions put = new DeliveryOptions().addHeader("action", "put").addHeader("timeout", "10000")
          .setSendTimeout(20_000);
      vertx.eventBus().request(ADDRESS, item, put).onComplete(reply -> {
        enqueued++;
        putNext();
      }, failure -> {
        if (refusedWith(failure, 408)) {
          put(item);
        } else {
          unexpected("producer put", failure);
          done.tryFail(failure);
        }
      });
    }

    private void putAll(List<Integer> items) {
      DeliveryOptions putAll = new DeliveryOptions().addHeader("action", "put-all").addHeader("timeout", "10000")
          .setSendTimeout(20_000);
      vertx.eventBus().<JsonObject>request(ADDRESS, new JsonArray(new ArrayList<>(items)), putAll).onComplete(reply -> {
        int n = reply.body().getInteger("enqueued");
        enqueued += n;
        if (n < items.size()) { // stopped early (its deadline): the rest again
          putAll(items.subList(n, items.size()));
        } else {
          putNext();
        }
      }, failure -> {
        if (refusedWith(failure, 408)) {
          putAll(items);
        } else {
          unexpected("producer put-all", failure);
          done.tryFail(failure);
        }
      });
    }
  }

  /**
   * Takes with {@code ack: true} on {@link #LANES} lanes, sometimes batches, until every lane gets
   * 410. Acknowledges by sending the lane's next take riding on the delivery; sometimes nacks, never
   * answers, or dies: it stops once no riding ack is unresolved, and is undeployed holding its
   * delivery, with the takes of its other lanes still waiting at the host. A replacement follows.
   */
  private final class Taker extends VerticleBase {

    final Promise<Void> done = Promise.promise();
    private final Random random;
    private int endedLanes;
    /** Acknowledgements riding on a take whose answer has not come yet. */
    private int riding;
    private boolean dying;
    private boolean stopped;

    Taker(long seed) {
      this.random = new Random(seed);
    }

    @Override
    public Future<?> start() {
      for (int lane = 0; lane < LANES; lane++) {
        take();
      }
      return Future.succeededFuture();
    }

    private DeliveryOptions takeWithAck() {
      DeliveryOptions take = new DeliveryOptions().addHeader("action", "take").addHeader("ack", "true")
          .addHeader("timeout", "500").setSendTimeout(10_000);
      if (random.nextInt(3) == 0) {
        take.addHeader("max", String.valueOf(2 + random.nextInt(4)));
      }
      return take;
    }

    private void take() {
      boolean impatient = random.nextDouble() < IMPATIENT;
      DeliveryOptions take = takeWithAck();
      if (impatient) {
        take.setSendTimeout(20 + random.nextInt(30));
      }
      vertx.eventBus().request(ADDRESS, null, take).onComplete(outcome -> {
        if (stopped) {
          return;
        }
        if (outcome.succeeded()) {
          handle(outcome.result());
        } else if (impatient && outcome.cause() instanceof ReplyException gone
            && gone.failureType() == ReplyFailure.TIMEOUT) {
          gaveUp.incrementAndGet(); // whatever the host hands this take returns to the channel
          take();
        } else {
          afterRefusal(outcome.cause());
        }
      });
    }

    private void handle(Message<Object> delivery) {
      if (dying) {
        dieOnceSettled(); // holding this delivery
        return;
      }
      double roll = random.nextDouble();
      if (roll < DIES && deaths.getAndUpdate(n -> n < MAX_DEATHS ? n + 1 : n) < MAX_DEATHS) {
        dying = true;
        dieOnceSettled();
      } else if (roll < DIES + NEVER_ANSWERS) {
        neverAnswered.incrementAndGet();
        take();
      } else if (roll < DIES + NEVER_ANSWERS + NACKS) {
        nacked.incrementAndGet();
        delivery.fail(500, "nack");
        take();
      } else if (roll < DIES + NEVER_ANSWERS + NACKS + ACKS_SLOWLY) {
        riding++;
        vertx.setTimer(aroundTheAckDeadline(random), timer -> acknowledge(delivery, ids(delivery.body())));
      } else {
        riding++;
        acknowledge(delivery, ids(delivery.body()));
      }
    }

    /**
     * Sends the lane's next take riding on the delivery, or a status request then a fresh take;
     * {@link #riding} counts it already.
     */
    private void acknowledge(Message<Object> delivery, List<Integer> ids) {
      boolean status = random.nextInt(4) == 0;
      DeliveryOptions next = status ? new DeliveryOptions().addHeader("action", "status").setSendTimeout(10_000)
          : takeWithAck();
      delivery.replyAndRequest(null, next).onComplete(outcome -> {
        riding--;
        if (outcome.succeeded()) {
          acks.record(ids);
          if (status) {
            afterStatus();
          } else {
            handle(outcome.result());
          }
          return;
        }
        ReplyException failure = (ReplyException) outcome.cause();
        boolean late = failure.failureType() == ReplyFailure.RECIPIENT_FAILURE && failure.failureCode() == ACK_EXPIRED;
        if (failure.failureType() == ReplyFailure.RECIPIENT_FAILURE && !late) { // the host answered the riding take
          acks.record(ids);
          afterRefusal(failure);
        } else if (late || failure.failureType() == ReplyFailure.NO_HANDLERS || failure.failureType() == ReplyFailure.TIMEOUT) {
          acksTooLate.incrementAndGet(); // the host had already given the items back
          if (dying) {
            dieOnceSettled();
          } else {
            take();
          }
        } else {
          unexpected("taker ack", failure);
        }
      });
    }

    private void afterStatus() {
      if (dying) {
        dieOnceSettled();
      } else {
        take();
      }
    }

    private void afterRefusal(Throwable failure) {
      if (refusedWith(failure, 408)) {
        if (dying) {
          dieOnceSettled();
        } else {
          take();
        }
      } else if (refusedWith(failure, 410)) {
        if (++endedLanes == LANES) {
          stopped = true;
          done.tryComplete();
        } else if (dying) {
          dieOnceSettled();
        }
      } else {
        unexpected("taker take", failure);
        stopped = true;
        done.tryFail(failure);
      }
    }

    /** Dies once no acknowledgement is unresolved, so that the test knows every ack it made. */
    private void dieOnceSettled() {
      if (riding > 0 || stopped) {
        return;
      }
      stopped = true;
      // done once its replacement is known, so that the test waits for that one too
      vertx.undeploy(deploymentID())
          .compose(undeployed -> deployTaker())
          .onComplete(replaced -> done.tryComplete(), failure -> {
            unexpected("replacing a taker", failure);
            done.tryFail(failure);
          });
    }
  }

  private enum Leaving { NEVER, UNDEPLOYED, CANCELS }

  /**
   * A streaming consumer with credit 1: each push brings one item, and its ack grants the next
   * unit of credit, so the next push proves the ack was accepted. Sometimes nacks. Re-registers
   * when expired (its ack came too late). Leaves midway as told: undeployed holding a push, or by
   * cancel; else stays until the end.
   */
  private final class StreamConsumer extends VerticleBase {

    final Promise<Void> done = Promise.promise();
    private final String address;
    private final Leaving leaving;
    private final Random random;
    /** What the last answer acknowledged, until the next push proves it was accepted. */
    private List<Integer> unconfirmed = List.of();
    /** The timer of an answer sent slowly, around the ack deadline; {@code -1} if none. */
    private long slowAnswer = -1;
    private int pushes;
    private boolean stopped;

    StreamConsumer(String address, Leaving leaving) {
      this.address = address;
      this.leaving = leaving;
      this.random = new Random(seeds.nextLong());
    }

    @Override
    public Future<?> start() {
      MessageConsumer<Object> inbox = vertx.eventBus().consumer(address, this::received);
      return inbox.completion().onSuccess(v -> consume());
    }

    private void consume() {
      DeliveryOptions consume = new DeliveryOptions().addHeader("action", "consume");
      vertx.eventBus().<JsonObject>request(ADDRESS, new JsonObject().put("address", address).put("credit", 1), consume)
          .onComplete(reply -> {
            if (reply.body().getBoolean("finished")) {
              leave();
            }
          }, failure -> {
            unexpected("consume", failure);
            leave();
          });
    }

    private void received(Message<Object> message) {
      if (stopped) {
        return;
      }
      String event = message.headers().get("event");
      if ("end".equals(event)) {
        confirm();
        leave();
      } else if ("expired".equals(event)) {
        consumerExpiries.incrementAndGet();
        unconfirmed = List.of();
        if (slowAnswer >= 0) { // its push went back already: the answer would be dropped
          vertx.cancelTimer(slowAnswer);
          slowAnswer = -1;
        }
        consume();
      } else if (event != null) {
        unexpected("consumer", new IllegalStateException("event " + event));
        leave();
      } else {
        push(message);
      }
    }

    private void push(Message<Object> push) {
      confirm();
      pushes++;
      if (leaving == Leaving.UNDEPLOYED && pushes == CONSUMER_LEAVES_AFTER) {
        stopped = true; // holding the push: the host gives it back at its ack deadline
        vertx.undeploy(deploymentID()).onComplete(v -> done.tryComplete(), failure -> unexpected("undeploy", failure));
        return;
      }
      if (leaving == Leaving.CANCELS && pushes == CONSUMER_LEAVES_AFTER) {
        stopped = true; // cancel gives the push back, or the ack deadline did already
        vertx.eventBus().request(ADDRESS, new JsonObject().put("address", address),
                new DeliveryOptions().addHeader("action", "cancel"))
            .onComplete(v -> done.tryComplete(), failure -> {
              if (!refusedWith(failure, 404)) {
                unexpected("cancel", failure);
              }
              done.tryComplete();
            });
        return;
      }
      JsonArray items = (JsonArray) push.body();
      double roll = random.nextDouble();
      if (roll < NACKS) {
        JsonArray all = new JsonArray();
        for (int i = 0; i < items.size(); i++) {
          all.add(i);
        }
        push.reply(new JsonObject().put("nack", all).put("credit", items.size()));
      } else if (roll < NACKS + ACKS_SLOWLY) {
        slowAnswer = vertx.setTimer(aroundTheAckDeadline(random), timer -> {
          slowAnswer = -1;
          acknowledge(push, items);
        });
      } else {
        acknowledge(push, items);
      }
    }

    private void acknowledge(Message<Object> push, JsonArray items) {
      unconfirmed = ids(items);
      push.reply(new JsonObject().put("credit", items.size()));
    }

    private void confirm() {
      acks.record(unconfirmed);
      consumerAcks.addAndGet(unconfirmed.size());
      unconfirmed = List.of();
    }

    private void leave() {
      stopped = true;
      done.tryComplete();
    }
  }
}
