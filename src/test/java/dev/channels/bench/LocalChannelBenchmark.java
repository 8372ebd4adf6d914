package dev.channels.bench;

import dev.channels.Channel;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the in-process channel in items per second. Each invocation moves a batch of
 * {@value #BATCH} items from producer loops to consumer loops that all run on the channel's own
 * Vert.x context; the benchmark thread only submits the batch and waits for it to end, so the
 * score includes one hand-over to the event loop and back per batch.
 *
 * <p>The loops are the honest asynchronous kind: a producer puts until a put's future is not yet
 * complete and continues from that future's completion; a consumer takes likewise. They loop while
 * the futures are already complete, so nothing recurses deeply.
 *
 * <p>{@link #arrayDequeBaseline} moves the same batch through a bare {@link ArrayDeque} on the
 * benchmark thread (fill up to 100, drain): the cost of the data structure alone. {@link
 * #vertxPromisePerItem} hands items over with one Vert.x promise each, on the context and without
 * any channel: the least a put that has to wait can cost.
 *
 * <p>Run with {@code mvn -q -o test-compile exec:exec@jmh -Djmh.args="LocalChannelBenchmark"}; see
 * {@code docs/benchmarks.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(LocalChannelBenchmark.BATCH)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LocalChannelBenchmark {

  static final int BATCH = 10_000;
  static final int CAPACITY = 100;
  static final int LOOPS = 4;

  /** Distinct boxed items, made once, so that no benchmark pays for boxing. */
  private static final Integer[] ITEMS = new Integer[BATCH];
  private static final long EXPECTED_SUM = (long) BATCH * (BATCH - 1) / 2;

  static {
    for (int i = 0; i < BATCH; i++) {
      ITEMS[i] = i;
    }
  }

  private Vertx vertx;
  private Context context;
  private Channel<Integer> bounded;
  private Channel<Integer> unbounded;
  private final ArrayDeque<Integer> deque = new ArrayDeque<>();

  @Setup(Level.Trial)
  public void startVertx() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    CompletableFuture<Void> created = new CompletableFuture<>();
    context.runOnContext(v -> {
      // created on the context, so that they live on it
      bounded = Channel.create(vertx, "bench-" + CAPACITY, CAPACITY);
      unbounded = Channel.unbounded(vertx, "bench-unbounded");
      created.complete(null);
    });
    created.join();
  }

  @TearDown(Level.Trial)
  public void stopVertx() {
    vertx.close().await();
  }

  @Benchmark
  public long oneProducerOneConsumerCapacity100() {
    return moveBatch(bounded, 1);
  }

  @Benchmark
  public long oneProducerOneConsumerUnbounded() {
    return moveBatch(unbounded, 1);
  }

  @Benchmark
  public long fourProducersFourConsumersCapacity100() {
    return moveBatch(bounded, LOOPS);
  }

  @Benchmark
  public long arrayDequeBaseline() {
    ArrayDeque<Integer> deque = this.deque;
    long sum = 0;
    int next = 0;
    while (next < BATCH) {
      while (next < BATCH && deque.size() < CAPACITY) {
        deque.offer(ITEMS[next++]);
      }
      for (Integer item = deque.poll(); item != null; item = deque.poll()) {
        sum += item;
      }
    }
    return checked(sum);
  }

  /**
   * What one waiting put costs at least, without any channel: per item a fresh promise that the
   * producer waits on (isComplete, onComplete) and a consumer completes, on the same context. At
   * capacity 100 every put of the steady state waits like this (each take frees one slot, which
   * the resumed producer fills and then waits again), so this bounds that benchmark from above.
   */
  @Benchmark
  public long vertxPromisePerItem() {
    CompletableFuture<Long> batch = new CompletableFuture<>();
    context.runOnContext(v -> new PromiseRelay((ContextInternal) context, batch).run());
    return checked(batch.join());
  }

  /** Runs {@code loops} producers and as many consumers on the channel's context; waits for them. */
  private long moveBatch(Channel<Integer> channel, int loops) {
    CompletableFuture<Long> batch = new CompletableFuture<>();
    context.runOnContext(v -> new Batch(channel, loops, batch).start());
    return checked(batch.join());
  }

  private static long checked(long sum) {
    if (sum != EXPECTED_SUM) {
      throw new IllegalStateException("items lost or duplicated: sum " + sum + ", expected " + EXPECTED_SUM);
    }
    return sum;
  }

  /** One batch in flight; confined to the channel's context. */
  private static final class Batch {

    private final Channel<Integer> channel;
    private final int loops;
    private final CompletableFuture<Long> result;
    private int consumersRunning;
    private long sum;

    Batch(Channel<Integer> channel, int loops, CompletableFuture<Long> result) {
      this.channel = channel;
      this.loops = loops;
      this.result = result;
      this.consumersRunning = loops;
    }

    /** Producers first: they fill the channel and then wait on it, as they would in a real run. */
    void start() {
      int share = BATCH / loops;
      for (int i = 0; i < loops; i++) {
        new Producer(this, i * share, (i + 1) * share).run();
      }
      for (int i = 0; i < loops; i++) {
        new Consumer(this, share).run();
      }
    }

    void consumerDone(long consumed) {
      sum += consumed;
      if (--consumersRunning == 0) {
        result.complete(sum);
      }
    }

    void fail(Throwable cause) {
      result.completeExceptionally(cause);
    }
  }

  /** Hands items over one promise at a time; confined to the context. */
  private static final class PromiseRelay {

    private final ContextInternal context;
    private final CompletableFuture<Long> result;
    private final Handler<AsyncResult<Void>> resume = this::resume;
    private Promise<Void> pending;
    private int next;
    private long sum;

    PromiseRelay(ContextInternal context, CompletableFuture<Long> result) {
      this.context = context;
      this.result = result;
    }

    /** The consumer: completes the producer's pending promise until every item is across. */
    void run() {
      produce();
      while (pending != null) {
        Promise<Void> waiting = pending;
        pending = null;
        sum += ITEMS[next - 1];
        waiting.complete();
      }
      result.complete(sum);
    }

    /** The producer: waits on a fresh promise per item, as a put on a full channel does. */
    private void produce() {
      if (next < BATCH) {
        next++;
        Promise<Void> promise = context.promise(); // bound to the context, like the channel's
        Future<Void> handedOver = promise.future();
        if (!handedOver.isComplete()) {
          pending = promise;
          handedOver.onComplete(resume);
        }
      }
    }

    private void resume(AsyncResult<Void> handedOver) {
      if (handedOver.failed()) {
        result.completeExceptionally(handedOver.cause());
      } else {
        produce();
      }
    }
  }

  /** Puts items {@code [next, end)}; pauses on the first put that cannot complete at once. */
  private static final class Producer {

    private final Batch batch;
    private final Handler<AsyncResult<Void>> resume = this::resume;
    private int next;
    private final int end;

    Producer(Batch batch, int next, int end) {
      this.batch = batch;
      this.next = next;
      this.end = end;
    }

    void run() {
      while (next < end) {
        Future<Void> put = batch.channel.put(ITEMS[next++]);
        if (!put.isComplete()) {
          put.onComplete(resume);
          return;
        }
        if (put.failed()) {
          batch.fail(put.cause());
          return;
        }
      }
    }

    private void resume(AsyncResult<Void> put) {
      if (put.failed()) {
        batch.fail(put.cause());
      } else {
        run();
      }
    }
  }

  /** Takes {@code remaining} items; pauses on the first take that cannot complete at once. */
  private static final class Consumer {

    private final Batch batch;
    private final Handler<AsyncResult<Integer>> resume = this::resume;
    private int remaining;
    private long sum;

    Consumer(Batch batch, int remaining) {
      this.batch = batch;
      this.remaining = remaining;
    }

    void run() {
      while (remaining > 0) {
        Future<Integer> take = batch.channel.take();
        if (!take.isComplete()) {
          take.onComplete(resume);
          return;
        }
        if (!accept(take)) {
          return;
        }
      }
      batch.consumerDone(sum);
    }

    private void resume(AsyncResult<Integer> take) {
      if (accept(take)) {
        run();
      }
    }

    private boolean accept(AsyncResult<Integer> take) {
      if (take.failed()) {
        batch.fail(take.cause());
        return false;
      }
      sum += take.result();
      remaining--;
      return true;
    }
  }
}
