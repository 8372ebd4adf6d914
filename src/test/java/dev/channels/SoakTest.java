package dev.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 100,000 items through a remote channel, as users use it, everything at once: producers putting
 * batches and single items; streaming consumers that pause and resume inside their handlers, remove
 * their handlers mid-stream and start again, fail items and process some slowly; workers taking one
 * item at a time with short timeouts that often pass; a handful of poison items (items the typed
 * channel cannot map, and, acknowledging after processing, items that always fail or are rejected);
 * and the host undeployed and deployed again halfway. Then the channel is closed and drained.
 *
 * <ul>
 *   <li>{@link AckMode#ON_DELIVERY}: every good item reaches a handler exactly once.
 *   <li>{@link AckMode#AFTER_PROCESSING}: every good item is processed at least once, and a stream
 *       that is handed an item again sees it marked redelivered.
 *   <li>Exactly the poison items are in the dead-letter channel, each with its reason.
 *   <li>The joined event comes once, and the final status adds up.
 * </ul>
 *
 * Run with {@code -Dsoak.seed=N} to repeat a printed seed's choices (the interleaving still varies).
 */
class SoakTest {

  private static final int ITEMS = 100_000;
  private static final int PRODUCERS = 4;
  private static final int STREAMS = 4;
  private static final int WORKERS = 2;
  private static final String CHANNEL = "soak";
  private static final String DEAD = CHANNEL + "-dead";
  private static final JsonObject HOST = new JsonObject()
      .put("ackTimeoutMs", 1_500)
      .put("maxDeliveries", 6)
      .put("nackBackoffMs", 2)
      .put("maxNackBackoffMs", 20)
      .put("channels", new JsonArray().add(new JsonObject().put("name", CHANNEL).put("capacity", 500)));
  /** Items the typed channel cannot map: strings among the jobs. */
  private static final int UNMAPPABLE = 5;
  /** Acknowledging after processing: jobs whose processing always fails, and jobs rejected at once. */
  private static final Set<Integer> ALWAYS_FAIL = Set.of(1_111, 11_111, 21_111, 31_111, 41_111, 52_222, 62_222,
      72_222, 82_222, 93_333);
  private static final Set<Integer> REJECTED = Set.of(2_222, 22_222, 44_444, 66_666, 77_777);
  /** How often a consumer does something awkward with an item. */
  private static final double PAUSES = 0.01;
  private static final double STOPS = 0.002;
  private static final double FAILS = 0.003;
  private static final double SLOW = 0.01;
  private static final double VERY_SLOW = 0.0002;

  record Job(int id, String payload) {
  }

  private Vertx vertx;
  private Random random;
  private String hostId;
  private final AtomicInteger putSoFar = new AtomicInteger();
  private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
  /** What the handlers saw, by job id: the {@code deliveries} of each time (-1: a worker's take). */
  private final Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
  /** Jobs processed successfully (acknowledging after processing). */
  private final Map<Integer, Boolean> processed = new ConcurrentHashMap<>();
  private final List<String> unmarkedRedeliveries = new CopyOnWriteArrayList<>();
  /** Jobs taken by workers: a single take is acknowledged on delivery, poison or not. */
  private final Set<Integer> takenByWorkers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger restarts = new AtomicInteger();

  @BeforeEach
  void start() {
    long seed = Long.getLong("soak.seed", System.nanoTime());
    System.out.println("SoakTest seed: " + seed + " (rerun with -Dsoak.seed=" + seed + ")");
    random = new Random(seed);
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(16));
    vertx.exceptionHandler(unexpected::add);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void acknowledgingOnDeliveryNoItemReachesAHandlerTwiceThroughPausesStopsFailuresAndARestart() throws Exception {
    soak(AckMode.ON_DELIVERY);
    List<Integer> twice = new ArrayList<>();
    List<Integer> never = new ArrayList<>();
    for (int id = 0; id < ITEMS; id++) {
      List<Integer> times = seen.getOrDefault(id, List.of());
      if (times.size() > 1) {
        twice.add(id);
      } else if (times.isEmpty()) {
        never.add(id);
      }
    }
    assertThat(twice).as("items that reached a handler twice (deliveries each time: %s)",
        twice.stream().limit(20).map(id -> id + "=" + seen.get(id)).toList()).isEmpty();
    assertThat(never).as("items that reached no handler").isEmpty();
  }

  @Test
  void acknowledgingAfterProcessingEveryItemIsProcessedAndEveryRedeliveryIsMarked() throws Exception {
    soak(AckMode.AFTER_PROCESSING);
    List<Integer> never = new ArrayList<>();
    for (int id = 0; id < ITEMS; id++) {
      if (!processed.containsKey(id) && !ALWAYS_FAIL.contains(id) && !REJECTED.contains(id)) {
        never.add(id);
      }
    }
    assertThat(never).as("items never processed").isEmpty();
    assertThat(unmarkedRedeliveries).as("items handed to a stream again, not marked redelivered").isEmpty();
    assertThat(seen.values().stream().anyMatch(times -> times.size() > 1))
        .as("some items were delivered more than once (failures, slow processing, the restart)").isTrue();
  }

  /** Runs the whole load with consumers acknowledging so; checks what holds in both modes. */
  private void soak(AckMode mode) throws Exception {
    ChannelClientOptions options = new ChannelClientOptions().setAckMode(mode).setPrefetch(32)
        .setWaitTimeoutMs(2_000);
    long start = System.nanoTime();
    List<Integer> joinedEvents = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer("channels." + CHANNEL + ".joined", event -> joinedEvents.add(1)).completion()
        .await(5, TimeUnit.SECONDS);
    hostId = deployHost().await(10, TimeUnit.SECONDS);

    List<Future<?>> consumers = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      StreamConsumer consumer = new StreamConsumer(options, mode, random.nextLong(), i % 2 == 0);
      vertx.deployVerticle(consumer).await(5, TimeUnit.SECONDS);
      consumers.add(consumer.done.future());
    }
    for (int i = 0; i < WORKERS; i++) {
      Worker worker = new Worker(options, random.nextLong());
      vertx.deployVerticle(worker).await(5, TimeUnit.SECONDS);
      consumers.add(worker.done.future());
    }
    List<Future<?>> producers = new ArrayList<>();
    Set<Integer> poisonAt = new TreeSet<>();
    while (poisonAt.size() < UNMAPPABLE) {
      poisonAt.add(random.nextInt(ITEMS));
    }
    for (int i = 0; i < PRODUCERS; i++) {
      Producer producer = new Producer(options, i * (ITEMS / PRODUCERS), (i + 1) * (ITEMS / PRODUCERS), poisonAt,
          random.nextLong());
      vertx.deployVerticle(producer).await(5, TimeUnit.SECONDS);
      producers.add(producer.done.future());
    }
    Future<Void> restarted = restartHostHalfway();

    Channel<Job> jobs = ChannelClient.create(vertx, options).channel(CHANNEL, Job.class);
    within(Future.all(producers), 60, "the producers", jobs);
    within(restarted, 30, "the restart", jobs); // close never waits: not while the host restarts
    within(jobs.close(), 10, "the close", jobs);
    within(jobs.join(), 60, "the join", jobs);
    within(Future.all(consumers), 30, "the consumers' ends", jobs);
    // one more round trip through the host, then a short window: a second joined event would show
    ChannelStatus status = jobs.status().await(5, TimeUnit.SECONDS);
    vertx.timer(200).await(5, TimeUnit.SECONDS);
    Map<Object, String> dead = deadLetters(ChannelClient.create(vertx, options));
    System.out.printf("SoakTest %s: %d items in %d ms, %d restart(s); status %s%n", mode, ITEMS,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), restarts.get(), status);

    assertThat(unexpected).as("unexpected failures").isEmpty();
    assertThat(restarts.get()).as("the host restarted halfway").isOne();
    assertThat(joinedEvents).as("joined events").hasSize(1);
    Map<Object, String> poison = new TreeMap<>((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
    poisonAt.forEach(at -> poison.put("poison-" + at, "unmappable"));
    if (mode == AckMode.AFTER_PROCESSING) { // a worker that took one processed it: its take is acknowledged on delivery
      ALWAYS_FAIL.stream().filter(id -> !takenByWorkers.contains(id)).forEach(id -> poison.put(id, "max-deliveries"));
      REJECTED.stream().filter(id -> !takenByWorkers.contains(id)).forEach(id -> poison.put(id, "rejected"));
    }
    assertThat(dead).as("exactly the poison items are dead-lettered, with their reasons")
        .containsExactlyInAnyOrderEntriesOf(poison);
    if (mode == AckMode.AFTER_PROCESSING) {
      // a worker that takes a poison item processes it (its take is acknowledged on delivery): the
      // items that always fail are given back again and again, and often end at a worker; those
      // rejected at their first delivery to a stream seldom do
      assertThat(poison.values()).as("dead-letter reasons").contains("rejected");
      System.out.printf("SoakTest: poison taken by workers %s of %s%n", takenByWorkers.stream()
          .filter(id -> ALWAYS_FAIL.contains(id) || REJECTED.contains(id)).sorted().toList(), ALWAYS_FAIL.size() + REJECTED.size());
    }
    assertThat(status.finished()).isTrue();
    assertThat(status.totalPut()).isEqualTo(ITEMS + UNMAPPABLE);
    assertThat(status.totalTaken() + status.deadLettered()).isEqualTo(status.totalPut());
    assertThat(status.deadLettered()).isEqualTo(poison.size());
  }

  /** Waits for {@code future}; past the time, fails saying what did not happen, and how the channel stood. */
  private <T> T within(Future<T> future, long seconds, String what, Channel<?> channel) throws Exception {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException late) {
      ChannelStatus status = channel.status().await(5, TimeUnit.SECONDS);
      AssertionError failure = new AssertionError(what + " did not complete within " + seconds + " s; channel: "
          + status + "; unexpected failures: " + unexpected);
      unexpected.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  private Future<String> deployHost() {
    return vertx.deployVerticle(new ChannelHostVerticle(), new DeploymentOptions().setConfig(HOST));
  }

  /** Undeploys the host once half the items are in, and deploys it again at once. */
  private Future<Void> restartHostHalfway() {
    Promise<Void> restarted = Promise.promise();
    vertx.setPeriodic(5, timer -> {
      if (putSoFar.get() >= ITEMS / 2) {
        vertx.cancelTimer(timer);
        vertx.undeploy(hostId)
            .compose(v -> deployHost())
            .onSuccess(id -> restarts.incrementAndGet())
            .<Void>mapEmpty()
            .onComplete(restarted);
      }
    });
    return restarted.future();
  }

  /** The dead-letter channel's items (a job's id, or the string), each with its reason. */
  private Map<Object, String> deadLetters(ChannelClient client) throws Exception {
    Channel<Object> dead = client.channel(DEAD);
    int size = dead.status().await(5, TimeUnit.SECONDS).size();
    Map<Object, String> letters = new TreeMap<>((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
    if (size == 0) {
      return letters;
    }
    Promise<Void> all = Promise.promise();
    ReadStream<Delivered<Object>> stream = dead.deliveries();
    stream.exceptionHandler(all::tryFail).handler(letter -> {
      Object item = letter.item() instanceof JsonObject job ? job.getInteger("id") : letter.item();
      letters.put(item, letter.headers().get("reason"));
      if (letters.size() == size) {
        stream.handler(null);
        all.tryComplete();
      }
    });
    all.future().await(10, TimeUnit.SECONDS);
    return letters;
  }

  private void sawDelivery(Delivered<Job> delivered) {
    List<Integer> times = seen.computeIfAbsent(delivered.item().id(), id -> Collections.synchronizedList(new ArrayList<>()));
    if (!times.isEmpty() && !delivered.redelivered()) {
      unmarkedRedeliveries.add(delivered.item().id() + " " + times + " then " + delivered.deliveries());
    }
    times.add(delivered.deliveries());
  }

  /** Puts its ids in batches and one at a time, and an unmappable string where told to. */
  private final class Producer extends VerticleBase {

    final Promise<Void> done = Promise.promise();
    private final ChannelClientOptions options;
    private final int last;
    private final Set<Integer> poisonAt;
    private final Random random;
    private Channel<Job> jobs;
    private Channel<Object> raw;
    private int next;

    Producer(ChannelClientOptions options, int first, int last, Set<Integer> poisonAt, long seed) {
      this.options = options;
      this.next = first;
      this.last = last;
      this.poisonAt = poisonAt;
      this.random = new Random(seed);
    }

    @Override
    public Future<?> start() {
      ChannelClient client = ChannelClient.create(vertx, options);
      jobs = client.channel(CHANNEL, Job.class);
      raw = client.channel(CHANNEL);
      putNext();
      return Future.succeededFuture();
    }

    private void putNext() {
      if (next == last) {
        done.complete();
        return;
      }
      Future<?> put;
      int first = next;
      if (poisonAt.contains(first)) {
        put = raw.put("poison-" + first).compose(v -> jobs.put(job(first)));
        next++;
      } else if (random.nextInt(4) == 0) {
        put = jobs.put(job(first));
        next++;
      } else {
        List<Job> batch = new ArrayList<>();
        int size = 1 + random.nextInt(60);
        while (next < last && batch.size() < size && !poisonAt.contains(next)) {
          batch.add(job(next++));
        }
        put = jobs.putAll(batch).map(enqueued -> {
          assertThat(enqueued).as("a put-all enqueues all its items").isEqualTo(batch.size());
          return enqueued;
        });
      }
      put.onComplete(v -> {
        putSoFar.addAndGet(next - first);
        putNext();
      }, unexpected::add);
    }

    private Job job(int id) {
      return new Job(id, "job-" + id);
    }
  }

  /**
   * Consumes in sessions: a stream ({@code deliveries()}) or a {@code consumeDeliveries} whose
   * handler now and then pauses and resumes, stops and starts a new session, fails, or is slow.
   */
  private final class StreamConsumer extends VerticleBase {

    final Promise<Void> done = Promise.promise();
    private final ChannelClientOptions options;
    private final AckMode mode;
    private final Random random;
    private final boolean asynchronous;
    private Channel<Job> jobs;

    StreamConsumer(ChannelClientOptions options, AckMode mode, long seed, boolean asynchronous) {
      this.options = options;
      this.mode = mode;
      this.random = new Random(seed);
      this.asynchronous = asynchronous;
    }

    @Override
    public Future<?> start() {
      jobs = ChannelClient.create(vertx, options).channel(CHANNEL, Job.class);
      session();
      return Future.succeededFuture();
    }

    private void session() {
      if (asynchronous) {
        jobs.consumeDeliveries(this::process).onComplete(v -> done.tryComplete(), failure -> {
          if (mode == AckMode.ON_DELIVERY && failure.getMessage().startsWith("transient")) {
            session(); // acknowledging on delivery, a failed item stops consume: start again
          } else {
            unexpected.add(failure);
          }
        });
        return;
      }
      ReadStream<Delivered<Job>> stream = jobs.deliveries();
      boolean[] stopped = {false};
      stream.exceptionHandler(failure -> {
        if (!failure.getMessage().startsWith("transient") && !failure.getMessage().contains("dead-letter")
            && !(failure instanceof RejectItemException)) {
          unexpected.add(failure);
        }
      });
      stream.endHandler(v -> done.tryComplete());
      stream.handler(delivered -> {
        if (stopped[0]) {
          unexpected.add(new AssertionError("an item after handler(null): " + delivered));
        }
        double roll = random.nextDouble();
        if (roll < PAUSES) {
          stream.pause();
          vertx.setTimer(1 + random.nextInt(40), id -> stream.resume());
        } else if (roll < PAUSES + STOPS) {
          stopped[0] = true;
          stream.handler(null);
          vertx.setTimer(1 + random.nextInt(10), id -> session());
        }
        Future<?> outcome = process(delivered);
        if (outcome.failed()) {
          throw (RuntimeException) outcome.cause();
        }
      });
    }

    /** Handles one item: records it, and fails it now and then (poison items always, after processing). */
    private Future<?> process(Delivered<Job> delivered) {
      sawDelivery(delivered);
      int id = delivered.item().id();
      if (mode == AckMode.AFTER_PROCESSING) {
        if (ALWAYS_FAIL.contains(id)) {
          return Future.failedFuture(new IllegalStateException("transient failure that never passes"));
        }
        if (REJECTED.contains(id)) {
          return Future.failedFuture(new RejectItemException("rejected " + id));
        }
      }
      double roll = random.nextDouble();
      if (roll < FAILS) {
        return Future.failedFuture(new IllegalStateException("transient failure of " + id));
      }
      if (asynchronous && roll < FAILS + VERY_SLOW && mode == AckMode.AFTER_PROCESSING) {
        return later(2_000, () -> processed.put(id, true)); // past the ack deadline: it is delivered again
      }
      if (asynchronous && roll < FAILS + VERY_SLOW + SLOW) {
        return later(1 + random.nextInt(5), () -> processed.put(id, true));
      }
      processed.put(id, true);
      return Future.succeededFuture();
    }

    private Future<Void> later(long ms, Supplier<?> work) {
      return vertx.timer(ms).map(v -> {
        work.get();
        return null;
      });
    }
  }

  /** Takes one item at a time, each take with a short timeout that often passes, until the channel ends. */
  private final class Worker extends VerticleBase {

    final Promise<Void> done = Promise.promise();
    private final ChannelClientOptions options;
    private final Random random;
    private Channel<Job> jobs;

    Worker(ChannelClientOptions options, long seed) {
      this.options = options;
      this.random = new Random(seed);
    }

    @Override
    public Future<?> start() {
      jobs = ChannelClient.create(vertx, options).channel(CHANNEL, Job.class);
      takeNext();
      return Future.succeededFuture();
    }

    private void takeNext() {
      jobs.take(Duration.ofMillis(1 + random.nextInt(30))).onComplete(job -> {
        seen.computeIfAbsent(job.id(), id -> Collections.synchronizedList(new ArrayList<>())).add(-1);
        processed.put(job.id(), true);
        takenByWorkers.add(job.id());
        takeNext();
      }, failure -> {
        if (failure instanceof ChannelTimeoutException) {
          takeNext();
        } else if (failure instanceof ChannelClosedException) {
          done.complete();
        } else {
          unexpected.add(failure);
          done.tryFail(failure);
        }
      });
    }
  }
}
